using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>Allocator settings (Mesos master flags of the same meaning).</summary>
public sealed record AllocatorOptions
{
    /// <summary><c>--allocation_interval</c>: also the minimum lifetime of a refuse filter (MESOS-4302).</summary>
    public TimeSpan AllocationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>--min_allocatable_resources</c>: an offer must contain at least one of these alternatives
    /// (compared on scalar quantities regardless of role). Default <c>cpus:0.01|mem:32</c>.
    /// </summary>
    public IReadOnlyList<Resources> MinAllocatable { get; init; } = [Resources.Parse("cpus:0.01"), Resources.Parse("mem:32")];

    /// <summary>Refuse filters longer than this are capped (Mesos caps at one year).</summary>
    public TimeSpan MaxRefuse { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Shuffles the agent order each cycle (as Mesos does) so that no agent is always offered first. Off gives a stable order.</summary>
    public bool ShuffleAgents { get; init; } = true;
}
