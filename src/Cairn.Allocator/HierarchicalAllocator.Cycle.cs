using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Runs one allocation cycle over all active agents (in shuffled order): for each agent, walks the roles in
    /// weighted-DRF order and, within a role, its frameworks in DRF order, and gives the first framework that is not
    /// filtered everything on the agent allocatable to that role. Returned resources stay allocated until recovered.
    /// </summary>
    public IReadOnlyList<Allocation> Allocate()
    {
        RefreshSharesIfDirty();
        var count = 0;
        if (_agentOrder.Length < _agents.Count)
        {
            _agentOrder = new int[_agents.Count];
        }

        for (var slot = 0; slot < _agents.Count; slot++)
        {
            if (_agents[slot] is { Active: true } agent && !agent.Available.IsEmpty)
            {
                _agentOrder[count++] = slot;
            }
        }

        if (_options.ShuffleAgents)
        {
            _random.Shuffle(_agentOrder.AsSpan(0, count));
        }

        var results = new List<Allocation>();
        var now = _time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            AllocateAgent(_agents[_agentOrder[i]]!, now, results);
        }

        return results;
    }

    /// <summary>Runs an allocation for one agent only (Mesos does this when an agent is added or updated).</summary>
    public IReadOnlyList<Allocation> Allocate(string agentId)
    {
        RefreshSharesIfDirty();
        var results = new List<Allocation>();
        if (FindAgent(agentId) is { } agent)
        {
            AllocateAgent(agent, _time.GetUtcNow(), results);
        }

        return results;
    }

    private void AllocateAgent(AgentState agent, DateTimeOffset now, List<Allocation> results)
    {
        if (!agent.Active || !MeetsMinimum(agent.Available))
        {
            return;
        }

        // Each successful offer shrinks the agent, so this loop ends; the walk restarts because the offer reordered the sorters.
        while (!agent.Available.IsEmpty && TryAllocateIn(_root, agent, now, results))
        {
        }
    }

    private bool TryAllocateIn(RoleNode node, AgentState agent, DateTimeOffset now, List<Allocation> results)
    {
        var entries = node.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is RoleSelf self)
            {
                if (TryOfferInRole(self.Node, agent, now, results))
                {
                    return true;
                }
            }
            else if (TryAllocateIn((RoleNode)entries[i], agent, now, results))
            {
                return true;
            }
        }

        return false;
    }

    private bool TryOfferInRole(RoleNode role, AgentState agent, DateTimeOffset now, List<Allocation> results)
    {
        var available = agent.HasReservations ? agent.Available.AllocatableTo(role.Path) : agent.Available;
        if (!MeetsMinimum(available))
        {
            return false;
        }

        var frameworks = role.Frameworks;
        for (var i = 0; i < frameworks.Count; i++)
        {
            var fw = frameworks[i].Framework;
            if (agent.HasGpus && !fw.GpuCapable)
            {
                continue;
            }

            if (IsFiltered(fw, agent, role.Path, available, now))
            {
                continue;
            }

            var offered = available.AllocateTo(role.Path);
            TrackAllocation(agent, fw, offered, countAllocation: true);
            results.Add(new Allocation(fw.Id, agent.Id, role.Path, offered, agent.Spec.Hostname, agent.Spec.Attributes));
            return true;
        }

        return false;
    }

    /// <summary><c>--min_allocatable_resources</c>: some alternative's scalars are all covered (regardless of role).</summary>
    private bool MeetsMinimum(Resources resources)
    {
        if (resources.IsEmpty)
        {
            return false;
        }

        var alternatives = _options.MinAllocatable;
        if (alternatives.Count == 0)
        {
            return true;
        }

        for (var a = 0; a < alternatives.Count; a++)
        {
            var satisfied = true;
            foreach (var needed in alternatives[a].AsSpan())
            {
                if (needed.Kind == ResourceKind.Scalar && resources.ScalarMillis(needed.Name) < needed.ScalarMillis)
                {
                    satisfied = false;
                    break;
                }
            }

            if (satisfied)
            {
                return true;
            }
        }

        return false;
    }
}
