using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    private readonly List<FrameworkRole> _touched = [];

    /// <summary>Marks <paramref name="allocated"/> (allocated form) as held by a framework on an agent.</summary>
    private void TrackAllocation(AgentState agent, FrameworkState fw, Resources allocated, bool countAllocation)
    {
        allocated = InAllocatedForm(fw, allocated);
        agent.Allocated[fw.Slot] = agent.Allocated.TryGetValue(fw.Slot, out var existing) ? existing + allocated : allocated;
        agent.Available -= allocated.Unallocated();
        fw.Agents.Add(agent.Slot);
        ApplyRoles(fw, allocated, +1, countAllocation);
    }

    /// <summary>
    /// Releases what of <paramref name="requested"/> the framework holds on the agent; returns what was released
    /// (allocated form) and, in <paramref name="freed"/>, the same in unallocated form as added back to the agent.
    /// </summary>
    private Resources UntrackAllocation(AgentState agent, FrameworkState fw, Resources requested, out Resources freed)
    {
        freed = Resources.Empty;
        if (!agent.Allocated.TryGetValue(fw.Slot, out var current))
        {
            return Resources.Empty;
        }

        requested = InAllocatedForm(fw, requested);

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

        freed = released.Unallocated();
        agent.Available += freed;
        ApplyRoles(fw, released, -1, countAllocation: false);
        return released;
    }

    /// <summary>
    /// Entries without an allocation role (from agents or schedulers predating MULTI_ROLE) are taken as allocated to
    /// the framework's only role, or to <c>*</c> when it has several or is not known yet, as the Mesos master does.
    /// </summary>
    private static Resources InAllocatedForm(FrameworkState fw, Resources resources)
    {
        var missing = false;
        foreach (var r in resources.AsSpan())
        {
            missing |= r.AllocationRole is null;
        }

        if (!missing)
        {
            return resources;
        }

        var role = Roles.Any;
        if (fw.Roles.Count == 1)
        {
            foreach (var only in fw.Roles)
            {
                role = only;
            }
        }

        return resources.Filter(static r => r.AllocationRole is not null) + resources.Filter(static r => r.AllocationRole is null).AllocateTo(role);
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
