using System.Buffers;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Partitions;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Storage;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private const sbyte ReadCommitted = 1;

    private async ValueTask<ApiResult> HandleFetchAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<FetchRequest>();
        var deadline = _broker.Time.GetTimestamp();
        var maxWait = TimeSpan.FromMilliseconds(Math.Max(0, request.MaxWaitMs));
        var rented = new List<byte[]>();
        try
        {
            while (true)
            {
                // Take the wake-up signal before reading, so an append after the read is not missed.
                var nextAppend = _broker.Replicas.Appended.NextAppend;
                ReturnAll(rented);
                var (response, bytes, hasError) = ReadFetch(request, context.ApiVersion, rented);
                var remaining = maxWait - _broker.Time.GetElapsedTime(deadline);
                if (bytes >= Math.Max(1, request.MinBytes) || hasError || remaining <= TimeSpan.Zero || request.Topics.Count == 0)
                {
                    _broker.Metrics.Fetched(bytes);
                    var version = context.ApiVersion;
                    var toReturn = rented;
                    rented = [];
                    return ApiResult.RespondWith(ctx =>
                    {
                        try
                        {
                            return RequestDispatcher.WriteResponse(ctx.CorrelationId, ResponseHeaderVersion(ctx), response, version);
                        }
                        finally
                        {
                            ReturnAll(toReturn);
                        }
                    });
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(remaining, _broker.Time, timeout.Token);
                await Task.WhenAny(nextAppend, delay).ConfigureAwait(false);
                await timeout.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            ReturnAll(rented);
        }
    }

    private (FetchResponse Response, long Bytes, bool HasError) ReadFetch(FetchRequest request, short version, List<byte[]> rented)
    {
        var response = new FetchResponse { SessionId = 0 };
        long total = 0;
        var hasError = false;
        var responseBudget = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        foreach (var fetchTopic in request.Topics)
        {
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = fetchTopic.Topic, TopicId = fetchTopic.TopicId };
            response.Responses.Add(topicResponse);
            foreach (var fetchPartition in fetchTopic.Partitions)
            {
                var data = new FetchResponse.PartitionData
                {
                    PartitionIndex = fetchPartition.Partition,
                    HighWatermark = -1,
                    LastStableOffset = -1,
                    LogStartOffset = -1,
                    AbortedTransactions = request.IsolationLevel == ReadCommitted ? [] : null,
                    Records = ReadOnlyMemory<byte>.Empty,
                };
                topicResponse.Partitions.Add(data);
                var replica = _broker.Replicas.Find(fetchTopic.Topic, fetchPartition.Partition);
                if (replica is null)
                {
                    data.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
                    hasError = true;
                    continue;
                }

                var epochError = CheckLeaderEpoch(replica, fetchPartition.CurrentLeaderEpoch);
                if (epochError != KafkaErrorCode.None)
                {
                    data.ErrorCode = epochError;
                    hasError = true;
                    continue;
                }

                // KIP-74: the first batch is returned whole even above the limits, so consumers always progress.
                var limit = Math.Min(Math.Max(0, fetchPartition.PartitionMaxBytes), responseBudget);
                var read = replica.Log.Read(fetchPartition.FetchOffset, limit, upToHighWatermark: true, minOneBatch: total == 0);
                data.HighWatermark = read.HighWatermark;
                data.LastStableOffset = read.HighWatermark;
                data.LogStartOffset = read.LogStartOffset;
                if (!read.IsSuccess)
                {
                    data.ErrorCode = ErrorCodes.From(read.Error);
                    hasError = true;
                    continue;
                }

                if (!read.Region.IsEmpty)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(read.Region.Length);
                    rented.Add(buffer);
                    var n = read.Region.CopyTo(buffer.AsSpan(0, read.Region.Length));
                    data.Records = buffer.AsMemory(0, n);
                    total += n;
                    responseBudget = (int)Math.Max(0, responseBudget - n);
                }
            }
        }

        return (response, total, hasError);
    }

    private static short CheckLeaderEpoch(PartitionReplica replica, int currentLeaderEpoch)
    {
        if (currentLeaderEpoch < 0 || currentLeaderEpoch == replica.LeaderEpoch)
        {
            return KafkaErrorCode.None;
        }

        return currentLeaderEpoch < replica.LeaderEpoch ? KafkaErrorCode.FencedLeaderEpoch : KafkaErrorCode.UnknownLeaderEpoch;
    }

    private static void ReturnAll(List<byte[]> buffers)
    {
        foreach (var b in buffers)
        {
            ArrayPool<byte>.Shared.Return(b);
        }

        buffers.Clear();
    }
}
