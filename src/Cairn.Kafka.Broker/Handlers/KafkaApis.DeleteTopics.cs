using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private async ValueTask<ApiResult> HandleDeleteTopicsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<DeleteTopicsRequest>();
        var response = new DeleteTopicsResponse();
        // v0-5 name topics in topic_names; v6 in topics[] by name or id.
        var targets = new List<(string? Name, Guid Id)>();
        if (context.ApiVersion >= 6)
        {
            foreach (var t in request.Topics)
            {
                targets.Add((t.Name, t.TopicId));
            }
        }
        else
        {
            foreach (var name in request.TopicNames)
            {
                targets.Add((name, Guid.Empty));
            }
        }

        foreach (var (name, id) in targets)
        {
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = name, TopicId = id };
            response.Responses.Add(result);
            var resolved = name;
            if (resolved is null)
            {
                resolved = Image.FindById(id)?.Name;
                if (resolved is null)
                {
                    result.ErrorCode = KafkaErrorCode.UnknownTopicId;
                    continue;
                }

                result.Name = resolved;
            }

            if (TopicNames.IsInternal(resolved))
            {
                result.ErrorCode = KafkaErrorCode.InvalidTopicException;
                result.ErrorMessage = $"Cannot delete internal topic {resolved}";
                continue;
            }

            var deleted = await _broker.Controller.DeleteTopicAsync(resolved).ConfigureAwait(false);
            result.ErrorCode = deleted.ErrorCode;
            result.ErrorMessage = deleted.ErrorMessage;
            if (deleted.Topic is { } topic)
            {
                result.TopicId = topic.TopicId;
                Telemetry.Log.TopicDeleted(_logger, topic.Name);
            }
        }

        return ApiResult.Respond(response);
    }
}
