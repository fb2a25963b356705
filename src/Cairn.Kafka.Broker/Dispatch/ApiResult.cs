using Cairn.Kafka.Broker.Network;
using Cairn.Kafka.Protocol;

namespace Cairn.Kafka.Broker.Dispatch;

/// <summary>Handles one API request. Registered per API key in an <see cref="ApiHandlerTable"/>.</summary>
public delegate ValueTask<ApiResult> ApiHandler(RequestContext context, CancellationToken cancellationToken);

/// <summary>What a handler answers: a response message (written at the request's version), a prebuilt frame, nothing, or close.</summary>
public readonly struct ApiResult
{
    private ApiResult(IKafkaMessage? message, Func<RequestContext, ResponseFrame>? frameBuilder, bool close)
    {
        Message = message;
        FrameBuilder = frameBuilder;
        CloseConnection = close;
    }

    /// <summary>The response body to write with the right response header.</summary>
    public IKafkaMessage? Message { get; }

    /// <summary>Builds the whole frame itself (Fetch uses it to append file regions for sendfile).</summary>
    public Func<RequestContext, ResponseFrame>? FrameBuilder { get; }

    /// <summary>Close the connection (after sending the response, if any).</summary>
    public bool CloseConnection { get; }

    /// <summary>Answer with <paramref name="message"/>.</summary>
    public static ApiResult Respond(IKafkaMessage message) => new(message, null, false);

    /// <summary>Answer with a frame built by the handler.</summary>
    public static ApiResult RespondWith(Func<RequestContext, ResponseFrame> frameBuilder) => new(null, frameBuilder, false);

    /// <summary>No response (Produce with acks=0).</summary>
    public static ApiResult NoResponse => default;

    /// <summary>Close the connection without answering (Kafka does this for acks=0 failures and unparsable requests).</summary>
    public static ApiResult Close => new(null, null, true);
}
