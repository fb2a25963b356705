namespace Cairn.Kafka.Storage.Configuration;

/// <summary>Kafka's <c>message.timestamp.type</c>.</summary>
public enum MessageTimestampType
{
    /// <summary>Timestamps are the producer's (the batch is stored unchanged).</summary>
    CreateTime,

    /// <summary>The broker stamps the append time into maxTimestamp (and the CRC is recomputed).</summary>
    LogAppendTime,
}
