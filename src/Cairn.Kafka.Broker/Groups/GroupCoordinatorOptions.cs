namespace Cairn.Kafka.Broker.Groups;

/// <summary>Group coordinator settings, named after Kafka's broker configs; defaults are Kafka 3.9's.</summary>
public sealed record GroupCoordinatorOptions
{
    /// <summary><c>group.initial.rebalance.delay.ms</c>: how long an empty group waits for more members before its first rebalance.</summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromMilliseconds(3000);

    /// <summary><c>group.min.session.timeout.ms</c>.</summary>
    public int MinSessionTimeoutMs { get; init; } = 6000;

    /// <summary><c>group.max.session.timeout.ms</c>.</summary>
    public int MaxSessionTimeoutMs { get; init; } = 1_800_000;

    /// <summary><c>offsets.retention.minutes</c>: committed offsets of an empty group expire this long after it became empty.</summary>
    public TimeSpan OffsetsRetention { get; init; } = TimeSpan.FromMinutes(10080);

    /// <summary><c>offsets.retention.check.interval.ms</c>.</summary>
    public TimeSpan OffsetsRetentionCheckInterval { get; init; } = TimeSpan.FromMilliseconds(600_000);

    /// <summary><c>offset.metadata.max.bytes</c>.</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;
}
