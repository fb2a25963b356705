using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private async ValueTask<ApiResult> HandleCreatePartitionsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<CreatePartitionsRequest>();
        var response = new CreatePartitionsResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            var result = new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name };
            response.Results.Add(result);
            if (!seen.Add(topic.Name))
            {
                result.ErrorCode = KafkaErrorCode.InvalidRequest;
                result.ErrorMessage = "Duplicate topic in request.";
                continue;
            }

            List<IReadOnlyList<int>>? assignments = null;
            if (topic.Assignments is { } given)
            {
                assignments = new List<IReadOnlyList<int>>(given.Count);
                foreach (var a in given)
                {
                    assignments.Add(a.BrokerIds);
                }
            }

            var outcome = await _broker.Controller.CreatePartitionsAsync(topic.Name, topic.Count, assignments, request.ValidateOnly).ConfigureAwait(false);
            result.ErrorCode = outcome.ErrorCode;
            result.ErrorMessage = outcome.ErrorMessage;
        }

        return ApiResult.Respond(response);
    }
}
