namespace Cairn.Kafka.Storage.Configuration;

/// <summary>
/// Per-topic log settings with Kafka's names and Kafka 3.9 defaults. Immutable: a topic's config is
/// replaced as a whole (<see cref="PartitionLog.UpdateConfig"/>). Build one from string key/values
/// with <see cref="TryParse"/>; <see cref="Overrides"/> remembers which keys were set explicitly.
/// </summary>
public sealed partial record LogConfig
{
    // Declared before Default: static initializers run in textual order.
    private static readonly IReadOnlyDictionary<string, string> EmptyOverrides = new Dictionary<string, string>();

    /// <summary>Kafka's defaults for every topic-level key.</summary>
    public static LogConfig Default { get; } = new();

    /// <summary><c>segment.bytes</c>: roll the active segment when a batch would make it larger than this.</summary>
    public int SegmentBytes { get; init; } = 1073741824;

    /// <summary><c>segment.ms</c>: roll the active segment this long after its first append.</summary>
    public long SegmentMs { get; init; } = 604800000;

    /// <summary><c>retention.ms</c>: delete a closed segment whose largest timestamp is older than this; -1 = forever.</summary>
    public long RetentionMs { get; init; } = 604800000;

    /// <summary><c>retention.bytes</c>: delete oldest closed segments while the partition is larger than this; -1 = unlimited.</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary><c>cleanup.policy</c>: delete, compact, or both.</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary><c>max.message.bytes</c>: largest batch accepted (1 MiB + 12).</summary>
    public int MaxMessageBytes { get; init; } = 1048588;

    /// <summary><c>flush.messages</c>: fsync after this many appended records (Long.MaxValue = leave it to the OS).</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary><c>flush.ms</c>: fsync when the oldest unflushed append is this old (Long.MaxValue = leave it to the OS).</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary><c>index.interval.bytes</c>: log bytes between sparse index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary><c>segment.index.bytes</c>: offset index capacity (8-byte entries); a full index rolls the segment.</summary>
    public int SegmentIndexBytes { get; init; } = 10485760;

    /// <summary><c>min.insync.replicas</c>: enforced by the broker for acks=all.</summary>
    public int MinInsyncReplicas { get; init; } = 1;

    /// <summary><c>delete.retention.ms</c>: how long a compacted topic keeps tombstones.</summary>
    public long DeleteRetentionMs { get; init; } = 86400000;

    /// <summary><c>min.cleanable.dirty.ratio</c>: compact when dirty bytes / closed bytes reach this.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary><c>min.compaction.lag.ms</c>: records younger than this are not compacted.</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary><c>message.timestamp.type</c>: CreateTime or LogAppendTime.</summary>
    public MessageTimestampType MessageTimestampType { get; init; } = MessageTimestampType.CreateTime;

    /// <summary><c>compression.type</c>: only <c>producer</c> (keep the producer's codec) is accepted.</summary>
    public string CompressionType { get; init; } = "producer";

    /// <summary>The keys that were set explicitly (topic overrides), as given.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = EmptyOverrides;

    /// <summary>True when the policy includes <c>compact</c>.</summary>
    public bool IsCompacted => (CleanupPolicy & CleanupPolicy.Compact) != 0;

    /// <summary>True when the policy includes <c>delete</c>.</summary>
    public bool IsDeleteRetention => (CleanupPolicy & CleanupPolicy.Delete) != 0;

    /// <summary>Offset-index capacity in entries.</summary>
    internal int MaxIndexEntries => Math.Max(1, SegmentIndexBytes / 8);
}
