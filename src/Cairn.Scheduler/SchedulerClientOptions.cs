using Mesos.V1;

namespace Cairn.Scheduler;

/// <summary>How a <see cref="SchedulerClient"/> finds the master and subscribes.</summary>
public sealed class SchedulerClientOptions
{
    /// <summary>
    /// Master addresses (<c>host:port</c> or <c>http://host:port</c>). The client tries them in turn and follows a
    /// non-leading master's 307 redirect to the leader.
    /// </summary>
    public required IReadOnlyList<string> Masters { get; init; }

    /// <summary>The framework to subscribe; set <c>id</c> to fail over an existing framework.</summary>
    public required FrameworkInfo Framework { get; init; }

    /// <summary>Missed heartbeats after which the subscription counts as lost (Mesos' docs: 5 × 15 s).</summary>
    public int MissedHeartbeats { get; init; } = 5;

    /// <summary>Reconnect and re-subscribe (with the framework id) when the subscription is lost.</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>First delay before reconnecting; doubles up to <see cref="MaxReconnectBackoff"/>.</summary>
    public TimeSpan MinReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between reconnect attempts (Mesos' docs: 15 s).</summary>
    public TimeSpan MaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of one call (not of the subscription stream).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
