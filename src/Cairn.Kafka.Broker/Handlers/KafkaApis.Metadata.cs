using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private async ValueTask<ApiResult> HandleMetadataAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<MetadataRequest>();
        var version = context.ApiVersion;
        var response = new MetadataResponse
        {
            ClusterId = Image.ClusterId,
            ControllerId = _broker.NodeId,
            ClusterAuthorizedOperations = int.MinValue,
        };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker
        {
            NodeId = _broker.NodeId,
            Host = _broker.AdvertisedHost,
            Port = _broker.AdvertisedPort,
            Rack = _broker.Config.Rack,
        });

        // v0: an empty list means all topics; v1+: null means all, empty means none.
        var allTopics = request.Topics is null || (version == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var (_, topic) in Image.Topics)
            {
                response.Topics.Add(Describe(topic));
            }

            return ApiResult.Respond(response);
        }

        // Auto-creation: v0-3 always allowed (subject to auto.create.topics.enable), v4+ as requested.
        var allowAutoCreate = version < 4 || request.AllowAutoTopicCreation;
        foreach (var requested in request.Topics!)
        {
            TopicMetadata? topic = null;
            if (requested.Name is null)
            {
                topic = requested.TopicId == Guid.Empty ? null : Image.FindById(requested.TopicId);
                response.Topics.Add(topic is null
                    ? new MetadataResponse.MetadataResponseTopic { ErrorCode = KafkaErrorCode.UnknownTopicId, TopicId = requested.TopicId }
                    : Describe(topic));
                continue;
            }

            var found = await _broker.Controller.GetOrCreateTopicAsync(requested.Name, allowAutoCreate && !TopicNames.IsInternal(requested.Name)).ConfigureAwait(false);
            response.Topics.Add(found.Topic is { } t
                ? Describe(t)
                : new MetadataResponse.MetadataResponseTopic { Name = requested.Name, ErrorCode = found.ErrorCode });
        }

        return ApiResult.Respond(response);
    }

    private static MetadataResponse.MetadataResponseTopic Describe(TopicMetadata topic)
    {
        var result = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            TopicId = topic.TopicId,
            IsInternal = topic.IsInternal,
            TopicAuthorizedOperations = int.MinValue,
        };
        foreach (var p in topic.Partitions)
        {
            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p.Index,
                LeaderId = p.Leader,
                LeaderEpoch = p.LeaderEpoch,
                ReplicaNodes = [.. p.Replicas],
                IsrNodes = [.. p.Isr],
            });
        }

        return result;
    }
}
