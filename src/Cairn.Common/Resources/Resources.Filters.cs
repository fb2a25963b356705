namespace Cairn.Common;

public sealed partial class Resources
{
    /// <summary>The entries matching <paramref name="predicate"/>.</summary>
    public Resources Filter(Func<Resource, bool> predicate)
    {
        var result = new List<Resource>(_items.Length);
        foreach (var r in _items)
        {
            if (predicate(r))
            {
                result.Add(r);
            }
        }

        return result.Count == _items.Length ? this : result.Count == 0 ? Empty : new Resources([.. result]);
    }

    /// <summary>Unreserved entries (role <c>*</c>).</summary>
    public Resources Unreserved() => Filter(static r => !r.IsReserved);

    /// <summary>Entries reserved to any role.</summary>
    public Resources Reserved() => Filter(static r => r.IsReserved);

    /// <summary>Entries reserved to exactly <paramref name="role"/>.</summary>
    public Resources ReservedTo(string role) => Filter(r => r.IsReserved && r.Role == role);

    /// <summary>
    /// Entries a framework in <paramref name="role"/> may be offered: unreserved ones and those reserved to the role
    /// or to one of its ancestors (mesos.md §5.2 <c>allocatableTo</c>).
    /// </summary>
    public Resources AllocatableTo(string role) => Filter(r => !r.IsReserved || Roles.IsSelfOrAncestor(r.Role, role));

    /// <summary>Scalar entries.</summary>
    public Resources ScalarEntries() => Filter(static r => r.Kind == ResourceKind.Scalar);

    /// <summary>Entries with the given name.</summary>
    public Resources Named(string name) => Filter(r => r.Name == name);

    /// <summary>Entries allocated to <paramref name="role"/>.</summary>
    public Resources AllocatedTo(string role) => Filter(r => r.AllocationRole == role);

    /// <summary>The same resources marked as allocated to <paramref name="role"/> (Mesos' <c>allocate(role)</c>).</summary>
    public Resources AllocateTo(string role) => WithAllocationRole(role);

    /// <summary>The same resources with the allocation role cleared.</summary>
    public Resources Unallocated() => WithAllocationRole(null);

    private Resources WithAllocationRole(string? role)
    {
        var changed = false;
        foreach (var r in _items)
        {
            changed |= r.AllocationRole != role;
        }

        if (!changed)
        {
            return this;
        }

        var list = new List<Resource>(_items.Length);
        foreach (var r in _items)
        {
            list.Add(r.WithRoles(r.Role, role));
        }

        return Create(list);
    }
}
