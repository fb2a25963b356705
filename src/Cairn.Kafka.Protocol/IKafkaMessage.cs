namespace Cairn.Kafka.Protocol;

/// <summary>A generated Kafka message (request, response, header or data schema).</summary>
public interface IKafkaMessage
{
    /// <summary>Lowest version the schema defines.</summary>
    short LowestVersion { get; }

    /// <summary>Highest version the schema defines.</summary>
    short HighestVersion { get; }

    /// <summary>Reads the message body for <paramref name="version"/>; throws <see cref="KafkaProtocolException"/> on malformed input.</summary>
    void Read(ref KafkaReader reader, short version);

    /// <summary>Writes the message body for <paramref name="version"/>.</summary>
    void Write(ref KafkaWriter writer, short version);
}
