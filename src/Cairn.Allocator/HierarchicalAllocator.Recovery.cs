using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Returns resources held by a framework on an agent: a declined or rescinded offer, the unused remainder of an
    /// accepted offer, or the resources of a finished task. <paramref name="resources"/> are in allocated form (as
    /// offered). With <paramref name="refuseFor"/> &gt; 0 (DECLINE's <c>filters.refuse_seconds</c>) the framework is
    /// not offered these resources (or fewer) on this agent for that role until the filter expires; the filter lasts
    /// at least one allocation interval and at most <see cref="AllocatorOptions.MaxRefuse"/>.
    /// </summary>
    public void RecoverResources(string frameworkId, string agentId, Resources resources, TimeSpan? refuseFor)
    {
        if (FindAgent(agentId) is not { } agent || FindFramework(frameworkId) is not { } fw)
        {
            return;
        }

        var released = UntrackAllocation(agent, fw, resources, out var freed);
        if (refuseFor is not { } refuse || refuse <= TimeSpan.Zero || released.IsEmpty || !fw.Added)
        {
            return;
        }

        if (refuse > _options.MaxRefuse)
        {
            refuse = _options.MaxRefuse;
        }

        var expires = _time.GetUtcNow() + (refuse > _options.AllocationInterval ? refuse : _options.AllocationInterval);
        if (!fw.Filters.TryGetValue(agent.Slot, out var filters))
        {
            filters = [];
            fw.Filters.Add(agent.Slot, filters);
        }

        var span = released.AsSpan();
        var singleRole = true;
        foreach (var r in span)
        {
            singleRole &= r.AllocationRole == span[0].AllocationRole;
        }

        if (singleRole)
        {
            // Share the instance added back to the agent: while the agent is unchanged, the filter check is a reference comparison.
            filters.Add(new OfferFilter(span[0].AllocationRole ?? Roles.Any, freed, expires));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in span)
        {
            var role = r.AllocationRole ?? Roles.Any;
            if (seen.Add(role))
            {
                filters.Add(new OfferFilter(role, released.AllocatedTo(role).Unallocated(), expires));
            }
        }
    }

    private static bool IsFiltered(FrameworkState fw, AgentState agent, string role, Resources candidate, DateTimeOffset now)
    {
        if (fw.Filters.Count == 0 || !fw.Filters.TryGetValue(agent.Slot, out var filters))
        {
            return false;
        }

        var filtered = false;
        for (var i = filters.Count - 1; i >= 0; i--)
        {
            var filter = filters[i];
            if (filter.Expires <= now)
            {
                filters.RemoveAt(i);
            }
            else if (!filtered && filter.Role == role && filter.Covers(candidate))
            {
                filtered = true;
            }
        }

        if (filters.Count == 0)
        {
            fw.Filters.Remove(agent.Slot);
        }

        return filtered;
    }

    private static void RemoveFilters(FrameworkState fw, string role)
    {
        List<int>? empty = null;
        foreach (var (agentSlot, filters) in fw.Filters)
        {
            filters.RemoveAll(f => f.Role == role);
            if (filters.Count == 0)
            {
                (empty ??= []).Add(agentSlot);
            }
        }

        if (empty is not null)
        {
            foreach (var slot in empty)
            {
                fw.Filters.Remove(slot);
            }
        }
    }
}
