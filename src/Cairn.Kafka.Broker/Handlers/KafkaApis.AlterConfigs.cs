using System.Globalization;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private async ValueTask<ApiResult> HandleAlterConfigsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<AlterConfigsRequest>();
        var response = new AlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var alterations = new List<ConfigAlteration>(resource.Configs.Count);
            foreach (var c in resource.Configs)
            {
                alterations.Add(new ConfigAlteration(c.Name, c.Value, ConfigOperation.Set));
            }

            var (code, message) = await AlterAsync(resource.ResourceType, resource.ResourceName, alterations, replaceAll: true, request.ValidateOnly).ConfigureAwait(false);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorCode = code,
                ErrorMessage = message,
            });
        }

        return ApiResult.Respond(response);
    }

    private async ValueTask<ApiResult> HandleIncrementalAlterConfigsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<IncrementalAlterConfigsRequest>();
        var response = new IncrementalAlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var alterations = new List<ConfigAlteration>(resource.Configs.Count);
            foreach (var c in resource.Configs)
            {
                alterations.Add(new ConfigAlteration(c.Name, c.Value, (ConfigOperation)c.ConfigOperation));
            }

            var (code, message) = await AlterAsync(resource.ResourceType, resource.ResourceName, alterations, replaceAll: false, request.ValidateOnly).ConfigureAwait(false);
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                ErrorCode = code,
                ErrorMessage = message,
            });
        }

        return ApiResult.Respond(response);
    }

    private async Task<(short Code, string? Message)> AlterAsync(sbyte resourceType, string resourceName, List<ConfigAlteration> alterations, bool replaceAll, bool validateOnly)
    {
        switch (resourceType)
        {
            case TopicResource:
                foreach (var a in alterations)
                {
                    if (a.Value is null && a.Operation != ConfigOperation.Delete)
                    {
                        return (KafkaErrorCode.InvalidConfig, $"Null value not supported for topic configs: {a.Name}");
                    }
                }

                var result = await _broker.Controller.AlterTopicConfigsAsync(resourceName, alterations, replaceAll, validateOnly).ConfigureAwait(false);
                return (result.ErrorCode, result.ErrorMessage);
            case BrokerResource:
                if (resourceName.Length > 0 && resourceName != _broker.NodeId.ToString(CultureInfo.InvariantCulture))
                {
                    return (KafkaErrorCode.InvalidRequest, $"Unexpected broker id, expected {_broker.NodeId} or empty string, but received {resourceName}");
                }

                return (KafkaErrorCode.InvalidConfig, "Dynamic broker configs are not supported: set them in server.properties or with flags.");
            default:
                return (KafkaErrorCode.InvalidRequest, $"Unsupported resource type {resourceType}");
        }
    }
}
