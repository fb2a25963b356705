using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>Allocator-side view of an agent, stored in a dense slot.</summary>
internal sealed class AgentState(string id, int slot, AgentSpec spec)
{
    public string Id { get; } = id;

    public int Slot { get; } = slot;

    public AgentSpec Spec { get; set; } = spec;

    public bool Active { get; set; } = true;

    /// <summary>Total minus everything allocated, in unallocated form.</summary>
    public Resources Available { get; set; } = spec.Total;

    /// <summary>Allocated (offered or used) resources per framework slot, in allocated form.</summary>
    public Dictionary<int, Resources> Allocated { get; } = [];

    public bool HasReservations { get; set; }

    public bool HasGpus { get; set; }
}
