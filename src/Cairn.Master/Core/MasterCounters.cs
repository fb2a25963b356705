namespace Cairn.Master.Core;

/// <summary>Monotonic counters for /metrics/snapshot (reset on restart, as in Mesos).</summary>
public sealed class MasterCounters
{
    public long SlaveRegistrations { get; set; }

    public long SlaveReregistrations { get; set; }

    public long SlaveRemovals { get; set; }

    public long SlavesUnreachableMarked { get; set; }

    public long FrameworksSubscribed { get; set; }

    public long TasksLaunched { get; set; }

    public long TasksFinished { get; set; }

    public long TasksFailed { get; set; }

    public long TasksKilled { get; set; }

    public long TasksLost { get; set; }

    public long TasksError { get; set; }

    public long TasksDropped { get; set; }

    public long TasksGone { get; set; }

    public long OffersMade { get; set; }

    public long OffersRescinded { get; set; }

    public long OffersDeclined { get; set; }

    public long OffersAccepted { get; set; }

    public long StatusUpdates { get; set; }

    public long InvalidStatusUpdates { get; set; }

    public long AllocationRuns { get; set; }

    public double LastAllocationRunMs { get; set; }
}
