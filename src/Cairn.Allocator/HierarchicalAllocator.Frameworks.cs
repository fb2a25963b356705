using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    /// <summary>Adds a framework (active). Allocations reported earlier by re-registering agents are adopted.</summary>
    /// <exception cref="InvalidOperationException">The framework was already added.</exception>
    public void AddFramework(string frameworkId, FrameworkSpec spec)
    {
        var fw = FindFramework(frameworkId) ?? NewFramework(frameworkId);
        if (fw.Added)
        {
            throw new InvalidOperationException($"Framework {frameworkId} was already added to the allocator.");
        }

        fw.Added = true;
        fw.Active = true;
        ApplySpec(fw, spec);
    }

    /// <summary>Changes roles, suppressed roles and capabilities (UPDATE_FRAMEWORK or re-subscription). Filters of roles left are dropped.</summary>
    public void UpdateFramework(string frameworkId, FrameworkSpec spec)
    {
        if (FindFramework(frameworkId) is { Added: true } fw)
        {
            ApplySpec(fw, spec);
        }
    }

    /// <summary>Removes a framework; everything it holds returns to its agents and its filters disappear.</summary>
    public void RemoveFramework(string frameworkId)
    {
        if (FindFramework(frameworkId) is not { } fw)
        {
            return;
        }

        foreach (var agentSlot in fw.Agents)
        {
            var agent = _agents[agentSlot]!;
            if (agent.Allocated.Remove(fw.Slot, out var allocated))
            {
                agent.Available += allocated.Unallocated();
            }
        }

        fw.Active = false;
        RefreshAllActivations(fw);
        foreach (var client in fw.RoleClients.Values)
        {
            var values = client.Allocated.Values;
            for (var i = 0; i < values.Length; i++)
            {
                client.Role.Self.Add(i, -values[i]);
                for (var n = client.Role; n.Parent is not null; n = n.Parent)
                {
                    n.Subtree.Add(i, -values[i]);
                }
            }

            client.Role.Clients.Remove(client);
        }

        fw.RoleClients.Clear();
        _frameworks[fw.Slot] = null;
        _frameworkSlots.Remove(frameworkId);
        _freeFrameworkSlots.Push(fw.Slot);
        _sharesDirty = true;
    }

    /// <summary>Makes a framework eligible for offers again (it reconnected).</summary>
    public void ActivateFramework(string frameworkId)
    {
        if (FindFramework(frameworkId) is { Added: true } fw)
        {
            fw.Active = true;
            RefreshAllActivations(fw);
        }
    }

    /// <summary>Stops offers to a framework (it disconnected) while keeping its allocations and filters.</summary>
    public void DeactivateFramework(string frameworkId)
    {
        if (FindFramework(frameworkId) is { Added: true } fw)
        {
            fw.Active = false;
            RefreshAllActivations(fw);
        }
    }

    /// <summary>SUPPRESS: no offers for the given roles (all of the framework's roles when null) until <see cref="Revive"/>.</summary>
    public void Suppress(string frameworkId, IReadOnlyCollection<string>? roles = null)
    {
        if (FindFramework(frameworkId) is not { Added: true } fw)
        {
            return;
        }

        foreach (var role in roles ?? fw.Roles)
        {
            if (fw.Roles.Contains(role))
            {
                fw.Suppressed.Add(role);
                if (fw.RoleClients.TryGetValue(role, out var client))
                {
                    RefreshActivation(client);
                }
            }
        }
    }

    /// <summary>REVIVE: clears the refuse filters of the given roles (all when null) and lifts their suppression.</summary>
    public void Revive(string frameworkId, IReadOnlyCollection<string>? roles = null)
    {
        if (FindFramework(frameworkId) is not { Added: true } fw)
        {
            return;
        }

        if (roles is null)
        {
            fw.Filters.Clear();
            fw.Suppressed.Clear();
            RefreshAllActivations(fw);
            return;
        }

        foreach (var role in roles)
        {
            RemoveFilters(fw, role);
            fw.Suppressed.Remove(role);
            if (fw.RoleClients.TryGetValue(role, out var client))
            {
                RefreshActivation(client);
            }
        }
    }

    private FrameworkState NewFramework(string frameworkId)
    {
        var slot = TakeSlot(_frameworks, _freeFrameworkSlots);
        var fw = new FrameworkState(frameworkId, slot);
        _frameworks[slot] = fw;
        _frameworkSlots.Add(frameworkId, slot);
        return fw;
    }

    private void ApplySpec(FrameworkState fw, FrameworkSpec spec)
    {
        var roles = spec.Roles.Count == 0 ? [Roles.Any] : spec.Roles;
        foreach (var role in roles)
        {
            if (Roles.Validate(role) is { } error)
            {
                throw new ArgumentException(error, nameof(spec));
            }
        }

        List<string>? left = null;
        foreach (var role in fw.Roles)
        {
            if (!Contains(roles, role))
            {
                (left ??= []).Add(role);
            }
        }

        fw.Roles.Clear();
        fw.Roles.UnionWith(roles);
        fw.Suppressed.Clear();
        foreach (var role in spec.SuppressedRoles)
        {
            if (fw.Roles.Contains(role))
            {
                fw.Suppressed.Add(role);
            }
        }

        fw.GpuCapable = Contains(spec.Capabilities, "GPU_RESOURCES");
        foreach (var role in fw.Roles)
        {
            GetOrCreateClient(fw, role);
        }

        RefreshAllActivations(fw);
        if (left is not null)
        {
            foreach (var role in left)
            {
                RemoveFilters(fw, role);
                if (fw.RoleClients.TryGetValue(role, out var client))
                {
                    DropClientIfUnused(client);
                }
            }
        }
    }

    private static bool Contains(IReadOnlyCollection<string> items, string value)
    {
        foreach (var item in items)
        {
            if (item == value)
            {
                return true;
            }
        }

        return false;
    }
}
