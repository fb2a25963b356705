namespace Cairn.Allocator;

/// <summary>What the allocator needs to know about a framework.</summary>
/// <param name="Roles">Roles the framework subscribes to (MULTI_ROLE); at least one. A framework without a role uses <c>*</c>.</param>
/// <param name="SuppressedRoles">Roles for which the framework wants no offers (a subset of <paramref name="Roles"/>).</param>
/// <param name="Capabilities">Framework capability names as in <c>FrameworkInfo.Capability.Type</c>, e.g. <c>GPU_RESOURCES</c>.</param>
public sealed record FrameworkSpec(IReadOnlyCollection<string> Roles, IReadOnlyCollection<string> SuppressedRoles, IReadOnlyCollection<string> Capabilities)
{
    /// <summary>A framework in the given roles with nothing suppressed and no capabilities.</summary>
    public static FrameworkSpec ForRoles(params string[] roles) => new(roles, [], []);
}
