using System.Runtime.InteropServices;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private const int ZstdCodec = 4;

    private ValueTask<ApiResult> HandleProduceAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<ProduceRequest>();
        var version = context.ApiVersion;
        var response = new ProduceResponse();
        var failed = false;
        var acksValid = request.Acks is -1 or 0 or 1;
        foreach (var topicData in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name };
            response.Responses.Add(topicResponse);
            var topic = _broker.Controller.FindTopic(topicData.Name);
            foreach (var partitionData in topicData.PartitionData)
            {
                var result = new ProduceResponse.PartitionProduceResponse { Index = partitionData.Index, BaseOffset = -1 };
                topicResponse.PartitionResponses.Add(result);
                short error;
                if (!acksValid)
                {
                    error = KafkaErrorCode.InvalidRequiredAcks;
                }
                else if (topic is null || partitionData.Index < 0 || partitionData.Index >= topic.Partitions.Length
                         || _broker.Replicas.Find(topic.Name, partitionData.Index) is not { } replica)
                {
                    error = KafkaErrorCode.UnknownTopicOrPartition;
                }
                else if (topic.IsInternal)
                {
                    // Clients may not write internal topics (Kafka: "Cannot append to internal topic").
                    error = KafkaErrorCode.InvalidTopicException;
                }
                else
                {
                    error = Append(replica, partitionData.Records, version, request.Acks, result);
                }

                result.ErrorCode = error;
                failed |= error != KafkaErrorCode.None;
            }
        }

        if (request.Acks == 0)
        {
            // No response for acks=0; on failure Kafka closes the connection so the client refreshes metadata.
            return ValueTask.FromResult(failed ? ApiResult.Close : ApiResult.NoResponse);
        }

        return Respond(response);
    }

    private short Append(Partitions.PartitionReplica replica, ReadOnlyMemory<byte>? records, short version, short acks, ProduceResponse.PartitionProduceResponse result)
    {
        result.LogStartOffset = replica.LogStartOffset;
        if (records is not { Length: > 0 } memory)
        {
            return KafkaErrorCode.CorruptMessage;
        }

        // The request buffer belongs to this request: storage patches offsets and the leader epoch in place.
        var span = MemoryMarshal.AsMemory(memory).Span;
        if (!RecordBatchHeader.TryRead(span, out var header) || header.Magic != RecordBatchHeader.CurrentMagic)
        {
            return span.Length > 16 && span[16] != RecordBatchHeader.CurrentMagic ? KafkaErrorCode.UnsupportedForMessageFormat : KafkaErrorCode.CorruptMessage;
        }

        if (header.TotalSize < span.Length)
        {
            // Produce v3+ carries exactly one batch per partition.
            result.ErrorMessage = "Produce requests with version 3 and above must contain exactly one record batch per partition.";
            return KafkaErrorCode.InvalidRecord;
        }

        if (header.CompressionCodec == ZstdCodec && version < 7)
        {
            return KafkaErrorCode.UnsupportedCompressionType;
        }

        if (acks == -1 && replica.Log.Config.MinInsyncReplicas > 1)
        {
            // One broker: the ISR has one member.
            result.ErrorMessage = $"The size of the current ISR (1) is insufficient to satisfy the min.isr requirement of {replica.Log.Config.MinInsyncReplicas}";
            return KafkaErrorCode.NotEnoughReplicas;
        }

        var appended = replica.Append(span, _broker.ProduceGuard);
        result.LogStartOffset = appended.LogStartOffset;
        if (appended.ErrorCode != KafkaErrorCode.None)
        {
            return appended.ErrorCode;
        }

        result.BaseOffset = appended.BaseOffset;
        result.LogAppendTimeMs = appended.LogAppendTime;
        _broker.Metrics.Produced(appended.RecordCount, span.Length);
        return KafkaErrorCode.None;
    }
}
