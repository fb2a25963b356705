namespace Cairn.Kafka.Storage.Configuration;

/// <summary>Kafka's <c>cleanup.policy</c>: a list of <c>delete</c> and/or <c>compact</c>.</summary>
[Flags]
public enum CleanupPolicy
{
    /// <summary>Neither deletion nor compaction (an empty <c>cleanup.policy</c> list).</summary>
    None = 0,

    /// <summary>Whole old segments are deleted by retention.ms / retention.bytes.</summary>
    Delete = 1,

    /// <summary>The log keeps the latest record per key.</summary>
    Compact = 2,
}
