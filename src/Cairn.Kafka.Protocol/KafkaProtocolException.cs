namespace Cairn.Kafka.Protocol;

/// <summary>
/// The single exception type the protocol layer throws for malformed input: truncated frames, negative or
/// oversized lengths, bad varints, unsupported versions, corrupt record batches or compressed payloads.
/// Callers that decode untrusted bytes catch exactly this type; anything else is a bug.
/// </summary>
public sealed class KafkaProtocolException : Exception
{
    public KafkaProtocolException() : base("Malformed Kafka protocol data.") { }

    public KafkaProtocolException(string message) : base(message) { }

    public KafkaProtocolException(string message, Exception innerException) : base(message, innerException) { }
}
