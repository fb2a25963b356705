using System.Globalization;
using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    /// <summary>Kafka's ConfigResource.Type values.</summary>
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    private ValueTask<ApiResult> HandleDescribeConfigsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<DescribeConfigsRequest>();
        var version = context.ApiVersion;
        var synonyms = version >= 1 && request.IncludeSynonyms;
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorMessage = null,
            };
            response.Results.Add(result);
            var keys = resource.ConfigurationKeys is { Count: > 0 } k ? new HashSet<string>(k, StringComparer.Ordinal) : null;
            switch (resource.ResourceType)
            {
                case TopicResource:
                    if (TopicNames.Validate(resource.ResourceName) is { } invalid)
                    {
                        result.ErrorCode = KafkaErrorCode.InvalidTopicException;
                        result.ErrorMessage = invalid;
                    }
                    else if (_broker.Controller.FindTopic(resource.ResourceName) is not { } topic)
                    {
                        result.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
                        result.ErrorMessage = $"Topic {resource.ResourceName} does not exist.";
                    }
                    else
                    {
                        DescribeTopicConfigs(topic, keys, synonyms, version, result.Configs);
                    }

                    break;
                case BrokerResource:
                    if (resource.ResourceName.Length > 0 && resource.ResourceName != _broker.NodeId.ToString(CultureInfo.InvariantCulture))
                    {
                        result.ErrorCode = KafkaErrorCode.InvalidRequest;
                        result.ErrorMessage = $"Unexpected broker id, expected {_broker.NodeId} or empty string, but received {resource.ResourceName}";
                    }
                    else
                    {
                        DescribeBrokerConfigs(keys, synonyms, version, result.Configs);
                    }

                    break;
                default:
                    result.ErrorCode = KafkaErrorCode.InvalidRequest;
                    result.ErrorMessage = $"Unsupported resource type {resource.ResourceType}";
                    break;
            }
        }

        return Respond(response);
    }

    private void DescribeTopicConfigs(TopicMetadata topic, HashSet<string>? keys, bool synonyms, short version, List<DescribeConfigsResponse.DescribeConfigsResourceResult> into)
    {
        foreach (var key in KafkaConfigCatalog.TopicConfigs)
        {
            if (keys is not null && !keys.Contains(key.Definition.Name))
            {
                continue;
            }

            var (value, source) = _broker.Config.ResolveTopicConfig(key, topic.Configs);
            var entry = Entry(key.Definition, value, source, version);
            if (synonyms)
            {
                if (topic.Configs.TryGetValue(key.Definition.Name, out var own))
                {
                    entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = key.Definition.Name, Value = own, Source = (sbyte)ConfigSource.DynamicTopicConfig });
                }

                foreach (var synonym in key.BrokerSynonyms)
                {
                    if (_broker.Config.IsExplicit(synonym))
                    {
                        entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = synonym, Value = _broker.Config.Get(synonym), Source = (sbyte)ConfigSource.StaticBrokerConfig });
                    }
                }

                entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = key.BrokerSynonyms[0], Value = key.Definition.Default, Source = (sbyte)ConfigSource.DefaultConfig });
            }

            into.Add(entry);
        }
    }

    private void DescribeBrokerConfigs(HashSet<string>? keys, bool synonyms, short version, List<DescribeConfigsResponse.DescribeConfigsResourceResult> into)
    {
        foreach (var definition in KafkaConfigCatalog.BrokerConfigs)
        {
            if (keys is not null && !keys.Contains(definition.Name))
            {
                continue;
            }

            var value = definition.Name switch
            {
                "log.dirs" => _broker.Config.DataDir,
                "node.id" or "broker.id" => _broker.NodeId.ToString(CultureInfo.InvariantCulture),
                "listeners" => $"PLAINTEXT://{_broker.Config.Host}:{_broker.AdvertisedPort}",
                "advertised.listeners" => $"PLAINTEXT://{_broker.AdvertisedHost}:{_broker.AdvertisedPort}",
                _ => _broker.Config.Get(definition.Name),
            };
            var source = _broker.Config.IsExplicit(definition.Name) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
            var entry = Entry(definition, value, source, version);
            entry.ReadOnly = true; // dynamic broker configs are not supported
            if (synonyms)
            {
                entry.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = definition.Name, Value = value, Source = (sbyte)source });
            }

            into.Add(entry);
        }
    }

    private static DescribeConfigsResponse.DescribeConfigsResourceResult Entry(ConfigDefinition definition, string? value, ConfigSource source, short version) => new()
    {
        Name = definition.Name,
        Value = value,
        ReadOnly = definition.ReadOnly,
        IsDefault = source == ConfigSource.DefaultConfig,
        ConfigSource = version >= 1 ? (sbyte)source : (sbyte)-1,
        IsSensitive = false,
        ConfigType = (sbyte)definition.Type,
        Documentation = null,
    };
}
