namespace Cairn.Kafka.Broker.Metadata;

/// <summary>A topic to create (CreateTopics, auto-creation, internal topics).</summary>
/// <param name="Name">Topic name.</param>
/// <param name="NumPartitions">Partitions, or -1 for <c>num.partitions</c>.</param>
/// <param name="ReplicationFactor">Replication factor, or -1 for <c>default.replication.factor</c>.</param>
/// <param name="Assignments">Manual replica assignment per partition, or null.</param>
/// <param name="Configs">Topic config overrides (null values are rejected).</param>
public sealed record NewTopic(
    string Name,
    int NumPartitions,
    short ReplicationFactor,
    IReadOnlyList<IReadOnlyList<int>>? Assignments,
    IReadOnlyList<KeyValuePair<string, string?>> Configs);

/// <summary>The outcome of one topic operation: Kafka's error code and message, and the topic after it.</summary>
public readonly record struct TopicResult(short ErrorCode, string? ErrorMessage, TopicMetadata? Topic)
{
    public static TopicResult Ok(TopicMetadata topic) => new(KafkaErrorCode.None, null, topic);

    public static TopicResult Fail(short code, string? message) => new(code, message, null);
}

/// <summary>How an incremental config alteration changes a key (IncrementalAlterConfigs <c>config_operation</c>).</summary>
public enum ConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

/// <summary>One config alteration.</summary>
public readonly record struct ConfigAlteration(string Name, string? Value, ConfigOperation Operation);

/// <summary>Told about every committed metadata change (creates partition logs, deletes them, applies configs).</summary>
public interface IMetadataListener
{
    /// <summary>A topic appeared, changed (configs, partitions) or disappeared (<paramref name="after"/> null).</summary>
    void OnTopicChanged(TopicMetadata? before, TopicMetadata? after);
}
