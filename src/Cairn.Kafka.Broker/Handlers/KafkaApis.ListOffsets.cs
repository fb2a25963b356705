using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Partitions;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Storage;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private ValueTask<ApiResult> HandleListOffsetsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<ListOffsetsRequest>();
        var response = new ListOffsetsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var partition in topic.Partitions)
            {
                var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
                topicResponse.Partitions.Add(result);
                var replica = _broker.Replicas.Find(topic.Name, partition.PartitionIndex);
                if (replica is null)
                {
                    result.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
                    continue;
                }

                result.ErrorCode = CheckLeaderEpoch(replica, partition.CurrentLeaderEpoch);
                if (result.ErrorCode != KafkaErrorCode.None)
                {
                    continue;
                }

                if (partition.Timestamp == OffsetLookupResult.MaxTimestamp && context.ApiVersion < 7)
                {
                    result.ErrorCode = KafkaErrorCode.UnsupportedVersion;
                    continue;
                }

                // Without transactions the last stable offset equals the high watermark, so
                // read_committed and read_uncommitted "latest" are the same.
                var lookup = replica.Log.LookupOffset(partition.Timestamp);
                if (lookup.Error != StorageError.None)
                {
                    result.ErrorCode = ErrorCodes.From(lookup.Error);
                    continue;
                }

                result.Offset = lookup.Offset;
                result.Timestamp = lookup.Timestamp;
                result.LeaderEpoch = lookup.Offset >= 0 ? replica.LeaderEpoch : -1;
            }
        }

        return Respond(response);
    }
}
