namespace Cairn.Allocator;

/// <summary>A framework as a client of one role's framework sorter: its allocation in that role.</summary>
internal sealed class FrameworkRole(FrameworkState framework, RoleNode role) : DrfClient
{
    public FrameworkState Framework { get; } = framework;

    public RoleNode Role { get; } = role;

    /// <summary>Scalars allocated to the framework in this role.</summary>
    public ScalarVector Allocated { get; } = new();

    public override string SortName => Framework.Id;
}
