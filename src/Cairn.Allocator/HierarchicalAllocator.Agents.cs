using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Adds an agent. <paramref name="used"/> holds what frameworks already use on it (re-registration after a
    /// master failover), in allocated form; frameworks not added yet are tracked until they are.
    /// </summary>
    /// <exception cref="InvalidOperationException">The agent was already added.</exception>
    public void AddAgent(string agentId, AgentSpec spec, IReadOnlyDictionary<string, Resources>? used = null)
    {
        if (_agentSlots.ContainsKey(agentId))
        {
            throw new InvalidOperationException($"Agent {agentId} was already added to the allocator.");
        }

        var slot = TakeSlot(_agents, _freeAgentSlots);
        var agent = new AgentState(agentId, slot, spec);
        SetTotals(agent, spec);
        _agents[slot] = agent;
        _agentSlots.Add(agentId, slot);
        _total.Add(spec.Total, _names, +1);
        _sharesDirty = true;
        if (used is not null)
        {
            foreach (var (frameworkId, resources) in used)
            {
                var fw = FindFramework(frameworkId) ?? NewFramework(frameworkId);
                TrackAllocation(agent, fw, resources, countAllocation: false);
            }
        }
    }

    /// <summary>
    /// Replaces an agent's hostname, attributes and total (re-registration with changed resources). Its filters are
    /// cleared, as Mesos does when an agent's resources or attributes change.
    /// </summary>
    public void UpdateAgent(string agentId, AgentSpec spec)
    {
        if (FindAgent(agentId) is not { } agent)
        {
            return;
        }

        _total.Add(agent.Spec.Total, _names, -1);
        _total.Add(spec.Total, _names, +1);
        agent.Spec = spec;
        SetTotals(agent, spec);
        var available = spec.Total;
        foreach (var allocated in agent.Allocated.Values)
        {
            available -= allocated.Unallocated();
        }

        agent.Available = available;
        ClearAgentFilters(agent.Slot);
        _sharesDirty = true;
    }

    /// <summary>Removes an agent; allocations on it vanish from the frameworks' and roles' shares.</summary>
    public void RemoveAgent(string agentId)
    {
        if (FindAgent(agentId) is not { } agent)
        {
            return;
        }

        foreach (var (frameworkSlot, allocated) in agent.Allocated)
        {
            var fw = _frameworks[frameworkSlot]!;
            UntrackRoles(fw, allocated);
            fw.Agents.Remove(agent.Slot);
        }

        agent.Allocated.Clear();
        _total.Add(agent.Spec.Total, _names, -1);
        ClearAgentFilters(agent.Slot);
        _agents[agent.Slot] = null;
        _agentSlots.Remove(agentId);
        _freeAgentSlots.Push(agent.Slot);
        _sharesDirty = true;
    }

    /// <summary>Makes an agent eligible for offers again (it reconnected).</summary>
    public void ActivateAgent(string agentId)
    {
        if (FindAgent(agentId) is { } agent)
        {
            agent.Active = true;
        }
    }

    /// <summary>Stops offers on an agent (unreachable) while keeping it and its allocations.</summary>
    public void DeactivateAgent(string agentId)
    {
        if (FindAgent(agentId) is { } agent)
        {
            agent.Active = false;
        }
    }

    private static void SetTotals(AgentState agent, AgentSpec spec)
    {
        agent.HasReservations = !spec.Total.Reserved().IsEmpty;
        agent.HasGpus = spec.Total.Gpus > 0;
    }

    private void ClearAgentFilters(int agentSlot)
    {
        foreach (var fw in _frameworks)
        {
            fw?.Filters.Remove(agentSlot);
        }
    }
}
