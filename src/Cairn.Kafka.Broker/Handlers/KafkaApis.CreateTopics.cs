using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private async ValueTask<ApiResult> HandleCreateTopicsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<CreateTopicsRequest>();
        var response = new CreateTopicsResponse();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in request.Topics)
        {
            seen[t.Name] = seen.GetValueOrDefault(t.Name) + 1;
        }

        foreach (var t in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = t.Name, ErrorMessage = null };
            response.Topics.Add(result);
            if (seen[t.Name] > 1)
            {
                result.ErrorCode = KafkaErrorCode.InvalidRequest;
                result.ErrorMessage = "Duplicate topic name.";
                continue;
            }

            var assignments = new List<IReadOnlyList<int>>(t.Assignments.Count);
            var assignmentsInOrder = true;
            foreach (var a in t.Assignments)
            {
                assignmentsInOrder &= a.PartitionIndex == assignments.Count;
                assignments.Add(a.BrokerIds);
            }

            if (!assignmentsInOrder)
            {
                result.ErrorCode = KafkaErrorCode.InvalidReplicaAssignment;
                result.ErrorMessage = "Partitions in the replica assignment must be numbered 0..n-1.";
                continue;
            }

            var configs = new List<KeyValuePair<string, string?>>(t.Configs.Count);
            foreach (var c in t.Configs)
            {
                configs.Add(new(c.Name, c.Value));
            }

            var created = await _broker.Controller.CreateTopicAsync(
                new NewTopic(t.Name, t.NumPartitions, t.ReplicationFactor, assignments.Count > 0 ? assignments : null, configs),
                request.validateOnly).ConfigureAwait(false);
            result.ErrorCode = created.ErrorCode;
            result.ErrorMessage = created.ErrorMessage;
            if (created.Topic is { } topic)
            {
                result.TopicId = request.validateOnly ? Guid.Empty : topic.TopicId;
                result.NumPartitions = topic.Partitions.Length;
                result.ReplicationFactor = (short)topic.Partitions[0].Replicas.Length;
                result.Configs = DescribeTopicConfigsForCreate(topic);
                if (!request.validateOnly)
                {
                    Telemetry.Log.TopicCreated(_logger, topic.Name, topic.Partitions.Length, topic.TopicId);
                }
            }
            else
            {
                result.Configs = null;
            }
        }

        return ApiResult.Respond(response);
    }

    /// <summary>CreateTopics v5+ returns the new topic's configs (KIP-525).</summary>
    private List<CreateTopicsResponse.CreatableTopicConfigs> DescribeTopicConfigsForCreate(TopicMetadata topic)
    {
        var list = new List<CreateTopicsResponse.CreatableTopicConfigs>();
        foreach (var key in KafkaConfigCatalog.TopicConfigs)
        {
            var (value, source) = _broker.Config.ResolveTopicConfig(key, topic.Configs);
            list.Add(new CreateTopicsResponse.CreatableTopicConfigs
            {
                Name = key.Definition.Name,
                Value = value,
                ReadOnly = key.Definition.ReadOnly,
                ConfigSource = (sbyte)source,
                IsSensitive = false,
            });
        }

        return list;
    }
}
