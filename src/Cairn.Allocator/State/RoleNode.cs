namespace Cairn.Allocator;

/// <summary>
/// A role in the role tree (<c>eng/web</c> is a child of <c>eng</c>). Its <see cref="Entries"/> order its children
/// and its own frameworks' virtual leaf (<c>eng/.</c> in Mesos) by weighted DRF share; only entries with active
/// frameworks below them are members, so a walk visits only roles that can take an offer.
/// </summary>
internal sealed class RoleNode : DrfClient
{
    public RoleNode(string path, RoleNode? parent)
    {
        Path = path;
        Parent = parent;
        SelfLeaf = new RoleSelf(this);
    }

    /// <summary>Full role name; empty for the root.</summary>
    public string Path { get; }

    public RoleNode? Parent { get; }

    public Dictionary<string, RoleNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Role weight (default 1); shares are divided by it.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>Allocations to this role and all its descendants.</summary>
    public ScalarVector Subtree { get; } = new();

    /// <summary>Allocations to frameworks in exactly this role.</summary>
    public ScalarVector Self { get; } = new();

    /// <summary>The virtual leaf standing for this role's own frameworks among its children.</summary>
    public RoleSelf SelfLeaf { get; }

    /// <summary>Children with active frameworks below them, plus <see cref="SelfLeaf"/> when this role has active frameworks; DRF-sorted.</summary>
    public DrfList<DrfClient> Entries { get; } = new();

    /// <summary>This role's active, unsuppressed frameworks, DRF-sorted by their allocation in this role.</summary>
    public DrfList<FrameworkRole> Frameworks { get; } = new();

    /// <summary>Number of active framework clients in this role and below.</summary>
    public int ActiveInSubtree { get; set; }

    /// <summary>All framework clients of this role (active or not), for share recomputation.</summary>
    public HashSet<FrameworkRole> Clients { get; } = [];

    public override string SortName => Path;

    public void RefreshShare(ScalarVector total)
    {
        Share = Subtree.ShareOf(total) / Weight;
        SelfLeaf.Share = Self.ShareOf(total) / Weight;
    }
}

/// <summary>The virtual leaf of a role's own frameworks (Mesos' <c>role/.</c>).</summary>
internal sealed class RoleSelf(RoleNode node) : DrfClient
{
    public RoleNode Node { get; } = node;

    public override string SortName => Node.Path + "/.";
}
