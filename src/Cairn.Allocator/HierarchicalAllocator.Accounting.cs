using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    private readonly List<FrameworkRole> _touched = [];

    /// <summary>Marks <paramref name="allocated"/> (allocated form) as held by a framework on an agent.</summary>
    private void TrackAllocation(AgentState agent, FrameworkState fw, Resources allocated, bool countAllocation)
    {
        agent.Allocated[fw.Slot] = agent.Allocated.TryGetValue(fw.Slot, out var existing) ? existing + allocated : allocated;
        agent.Available -= allocated.Unallocated();
        fw.Agents.Add(agent.Slot);
        ApplyRoles(fw, allocated, +1, countAllocation);
    }

    /// <summary>Releases what of <paramref name="requested"/> the framework holds on the agent; returns what was released.</summary>
    private Resources UntrackAllocation(AgentState agent, FrameworkState fw, Resources requested)
    {
        if (!agent.Allocated.TryGetValue(fw.Slot, out var current))
        {
            return Resources.Empty;
        }

        // Only what is actually held can be released (the intersection), so a confused caller cannot create resources.
        var released = current - (current - requested);
        var remaining = current - released;
        if (remaining.IsEmpty)
        {
            agent.Allocated.Remove(fw.Slot);
            fw.Agents.Remove(agent.Slot);
        }
        else
        {
            agent.Allocated[fw.Slot] = remaining;
        }

        agent.Available += released.Unallocated();
        ApplyRoles(fw, released, -1, countAllocation: false);
        return released;
    }

    private void UntrackRoles(FrameworkState fw, Resources allocated) => ApplyRoles(fw, allocated, -1, countAllocation: false);

    private void ApplyRoles(FrameworkState fw, Resources allocated, int sign, bool countAllocation)
    {
        _touched.Clear();
        foreach (var r in allocated.AsSpan())
        {
            var role = r.AllocationRole ?? Roles.Any;
            var client = _touched.Count > 0 && _touched[^1].Role.Path == role ? _touched[^1] : GetOrCreateClient(fw, role);
            ApplyRoleAllocation(client, r, sign);
            if (!_touched.Contains(client))
            {
                _touched.Add(client);
            }
        }

        foreach (var client in _touched)
        {
            Reposition(client, countAllocation);
            if (sign < 0)
            {
                DropClientIfUnused(client);
            }
        }
    }
}
