using System.Text.RegularExpressions;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private ValueTask<ApiResult> HandleApiVersionsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<ApiVersionsRequest>();
        if (context.ApiVersion >= 3 && (!SoftwareName().IsMatch(request.ClientSoftwareName) || !SoftwareName().IsMatch(request.ClientSoftwareVersion)))
        {
            // KIP-511: Kafka validates the client software fields; librdkafka then retries with v0.
            return Respond(new ApiVersionsResponse { ErrorCode = KafkaErrorCode.InvalidRequest });
        }

        return Respond(_dispatcher.BuildApiVersions(KafkaErrorCode.None));
    }

    [GeneratedRegex("^[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?$")]
    private static partial Regex SoftwareName();
}
