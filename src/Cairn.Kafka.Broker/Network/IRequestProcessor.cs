namespace Cairn.Kafka.Broker.Network;

/// <summary>Turns request frames into responses; implemented by the Kafka API dispatcher.</summary>
public interface IRequestProcessor
{
    /// <summary>
    /// Handles one request frame of <paramref name="connection"/>. Called for one frame at a time per
    /// connection, in arrival order; the result is sent before the next frame's.
    /// </summary>
    ValueTask<RequestResult> ProcessAsync(ClientConnection connection, RequestFrame frame, CancellationToken cancellationToken);
}

/// <summary>What to do after a request: send a response (or nothing, e.g. Produce acks=0), and/or close.</summary>
/// <param name="Response">The response to send, or null for none.</param>
/// <param name="CloseConnection">True to close the connection after sending <paramref name="Response"/>.</param>
public readonly record struct RequestResult(ResponseFrame? Response, bool CloseConnection)
{
    public static RequestResult NoResponse => default;

    public static RequestResult Close => new(null, true);

    public static RequestResult Send(ResponseFrame response) => new(response, false);
}
