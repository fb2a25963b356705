using Cairn.Kafka.Broker.Network;
using Cairn.Kafka.Protocol;

namespace Cairn.Kafka.Broker.Dispatch;

/// <summary>One parsed request header plus the undecoded body, handed to an <see cref="ApiHandler"/>.</summary>
public sealed class RequestContext
{
    internal RequestContext(ApiKey apiKey, short apiVersion, int correlationId, string? clientId, ReadOnlyMemory<byte> body, ClientConnection? connection)
    {
        ApiKey = apiKey;
        ApiVersion = apiVersion;
        CorrelationId = correlationId;
        ClientId = clientId;
        Body = body;
        Connection = connection;
    }

    public ApiKey ApiKey { get; }

    public short ApiVersion { get; }

    public int CorrelationId { get; }

    public string? ClientId { get; }

    /// <summary>The request body (after the header); valid only until the handler's task completes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The client connection (null for in-process calls).</summary>
    public ClientConnection? Connection { get; }

    /// <summary>Decodes the body as <typeparamref name="T"/> at this request's version; throws <see cref="KafkaProtocolException"/> when malformed.</summary>
    public T Read<T>()
        where T : IKafkaMessage, new()
    {
        var reader = new KafkaReader(Body);
        var message = new T();
        message.Read(ref reader, ApiVersion);
        return message;
    }
}
