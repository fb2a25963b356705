using Cairn.Common;

namespace Cairn.Allocator;

public sealed partial class HierarchicalAllocator
{
    private RoleNode GetOrCreateRole(string role)
    {
        if (_roles.TryGetValue(role, out var node))
        {
            return node;
        }

        var slash = role.LastIndexOf('/');
        var parent = slash < 0 ? _root : GetOrCreateRole(role[..slash]);
        node = new RoleNode(role, parent);
        node.RefreshShare(_total);
        parent.Children.Add(role, node);
        _roles.Add(role, node);
        return node;
    }

    private FrameworkRole GetOrCreateClient(FrameworkState fw, string role)
    {
        if (!fw.RoleClients.TryGetValue(role, out var client))
        {
            var node = GetOrCreateRole(role);
            client = new FrameworkRole(fw, node);
            fw.RoleClients.Add(role, client);
            node.Clients.Add(client);
        }

        return client;
    }

    /// <summary>Puts a framework's client into or out of its role's sorter according to <see cref="FrameworkState.WantsOffers"/>.</summary>
    private void RefreshActivation(FrameworkRole client)
    {
        var node = client.Role;
        var wants = client.Framework.WantsOffers(node.Path);
        if (wants == node.Frameworks.Contains(client))
        {
            return;
        }

        if (wants)
        {
            node.Frameworks.Add(client);
            if (node.Frameworks.Count == 1)
            {
                node.Entries.Add(node.SelfLeaf);
            }

            ChangeActiveCount(node, +1);
        }
        else
        {
            node.Frameworks.Remove(client);
            if (node.Frameworks.Count == 0)
            {
                node.Entries.Remove(node.SelfLeaf);
            }

            ChangeActiveCount(node, -1);
        }
    }

    private static void ChangeActiveCount(RoleNode node, int delta)
    {
        for (var n = node; n.Parent is { } parent; n = parent)
        {
            var before = n.ActiveInSubtree;
            n.ActiveInSubtree += delta;
            if (before == 0 && n.ActiveInSubtree > 0)
            {
                parent.Entries.Add(n);
            }
            else if (before > 0 && n.ActiveInSubtree == 0)
            {
                parent.Entries.Remove(n);
            }
        }
    }

    private void RefreshAllActivations(FrameworkState fw)
    {
        foreach (var client in fw.RoleClients.Values)
        {
            RefreshActivation(client);
        }
    }

    /// <summary>Drops a client that is neither subscribed nor holding anything, so roles do not accumulate dead clients.</summary>
    private void DropClientIfUnused(FrameworkRole client)
    {
        var fw = client.Framework;
        if ((fw.Added && fw.Roles.Contains(client.Role.Path)) || !client.Allocated.IsZero || HasNonScalarAllocation(fw, client.Role.Path))
        {
            return;
        }

        client.Role.Frameworks.Remove(client);
        client.Role.Clients.Remove(client);
        fw.RoleClients.Remove(client.Role.Path);
    }

    private bool HasNonScalarAllocation(FrameworkState fw, string role)
    {
        foreach (var agentSlot in fw.Agents)
        {
            if (_agents[agentSlot] is { } agent && agent.Allocated.TryGetValue(fw.Slot, out var allocated))
            {
                foreach (var r in allocated.AsSpan())
                {
                    if (r.AllocationRole == role)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>After cluster totals or weights change every share moves: recompute all and re-sort every list.</summary>
    private void RefreshSharesIfDirty()
    {
        if (!_sharesDirty)
        {
            return;
        }

        _sharesDirty = false;
        foreach (var node in _roles.Values)
        {
            node.RefreshShare(_total);
            foreach (var client in node.Clients)
            {
                client.Share = client.Allocated.ShareOf(_total);
            }

            node.Frameworks.Resort();
        }

        foreach (var node in _roles.Values)
        {
            node.Entries.Resort();
        }

        _root.Entries.Resort();
    }

    /// <summary>Adds (sign 1) or removes (sign -1) scalar allocations of one role and moves the affected sorter entries.</summary>
    private void ApplyRoleAllocation(FrameworkRole client, Resource resource, int sign)
    {
        if (resource.Kind != ResourceKind.Scalar)
        {
            return;
        }

        var index = _names.IndexOf(resource.Name);
        var delta = sign * resource.ScalarMillis;
        client.Allocated.Add(index, delta);
        client.Role.Self.Add(index, delta);
        for (var n = client.Role; n.Parent is not null; n = n.Parent)
        {
            n.Subtree.Add(index, delta);
        }
    }

    /// <summary>Refreshes shares of a client and its role chain after its allocation changed, and counts an allocation when asked.</summary>
    private void Reposition(FrameworkRole client, bool countAllocation)
    {
        if (countAllocation)
        {
            client.AllocationCount++;
            client.Role.SelfLeaf.AllocationCount++;
        }

        client.Share = client.Allocated.ShareOf(_total);
        client.Role.Frameworks.Update(client);
        var node = client.Role;
        node.SelfLeaf.Share = node.Self.ShareOf(_total) / node.Weight;
        node.Entries.Update(node.SelfLeaf);
        for (var n = node; n.Parent is { } parent; n = parent)
        {
            if (countAllocation)
            {
                n.AllocationCount++;
            }

            n.Share = n.Subtree.ShareOf(_total) / n.Weight;
            parent.Entries.Update(n);
        }
    }
}
