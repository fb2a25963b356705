namespace Cairn.Kafka.Storage;

/// <summary>Broker-level settings of a <see cref="LogDirectory"/>.</summary>
public sealed record LogDirectoryOptions
{
    /// <summary>
    /// How often the maintenance loop runs flush.ms, segment.ms rolls, flush-on-roll and retention. Kafka checks
    /// retention every 5 minutes (<c>log.retention.check.interval.ms</c>); our pass is in-memory and cheap.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the cleaner looks for compacted logs to clean (<c>log.cleaner.backoff.ms</c>, 15 s).</summary>
    public TimeSpan CleanerInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long deleted segments and partitions stay readable through open handles (<c>file.delete.delay.ms</c>).</summary>
    public TimeSpan FileDeleteDelay { get; init; } = TimeSpan.FromMinutes(1);
}
