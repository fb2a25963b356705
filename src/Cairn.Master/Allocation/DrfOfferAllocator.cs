using Cairn.Allocator;
using Cairn.Api.Conversions;
using Cairn.Common;
using Cairn.Master.Options;
using Google.Protobuf.Collections;
using Mesos.V1;
using ProtoResource = Mesos.V1.Resource;

namespace Cairn.Master.Allocation;

/// <summary>Adapts Cairn.Allocator's <see cref="HierarchicalAllocator"/> (weighted DRF) to the
/// master's protobuf-shaped <see cref="IOfferAllocator"/>.</summary>
public sealed class DrfOfferAllocator : IOfferAllocator
{
    private readonly HierarchicalAllocator _allocator;

    public DrfOfferAllocator(HierarchicalAllocator allocator) => _allocator = allocator;

    /// <summary>The production allocator for <paramref name="options"/>.</summary>
    public static IOfferAllocator Create(MasterOptions options, TimeProvider time) => Create(options, time, Random.Shared);

    /// <summary>The allocator with seeded randomness (tests and benchmarks).</summary>
    public static IOfferAllocator Create(MasterOptions options, TimeProvider time, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var allocator = new HierarchicalAllocator(time, random, new AllocatorOptions { AllocationInterval = options.AllocationInterval });
        foreach (var (role, weight) in options.Weights)
        {
            allocator.SetWeight(role, weight);
        }

        return new DrfOfferAllocator(allocator);
    }

    public void AddFramework(string frameworkId, FrameworkInfo info, IReadOnlyCollection<string> suppressedRoles) =>
        _allocator.AddFramework(frameworkId, Spec(info, suppressedRoles));

    public void UpdateFramework(string frameworkId, FrameworkInfo info, IReadOnlyCollection<string> suppressedRoles) =>
        _allocator.UpdateFramework(frameworkId, Spec(info, suppressedRoles));

    public void RemoveFramework(string frameworkId) => _allocator.RemoveFramework(frameworkId);

    public void ActivateFramework(string frameworkId) => _allocator.ActivateFramework(frameworkId);

    public void DeactivateFramework(string frameworkId) => _allocator.DeactivateFramework(frameworkId);

    public void AddAgent(string agentId, AgentInfo info, RepeatedField<ProtoResource> total, IReadOnlyDictionary<string, List<ProtoResource>> usedByFramework)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(usedByFramework);
        var used = new Dictionary<string, Resources>(StringComparer.Ordinal);
        foreach (var (frameworkId, resources) in usedByFramework)
        {
            used[frameworkId] = Allocated(resources);
        }

        var spec = new AgentSpec(info.Hostname, ResourceConversions.FromProto(total), AttributeConversions.FromProto(info.Attributes));
        _allocator.AddAgent(agentId, spec, used);
    }

    public void RemoveAgent(string agentId) => _allocator.RemoveAgent(agentId);

    public void RecoverResources(string frameworkId, string agentId, IReadOnlyList<ProtoResource> resources, double? refuseSeconds) =>
        _allocator.RecoverResources(frameworkId, agentId, Allocated(resources), refuseSeconds is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2)) : null);

    public void Suppress(string frameworkId, IReadOnlyCollection<string> roles) => _allocator.Suppress(frameworkId, roles.Count == 0 ? null : roles);

    public void Revive(string frameworkId, IReadOnlyCollection<string> roles) => _allocator.Revive(frameworkId, roles.Count == 0 ? null : roles);

    public IReadOnlyList<OfferGrant> Allocate(DateTimeOffset now)
    {
        var allocations = _allocator.Allocate();
        var grants = new List<OfferGrant>(allocations.Count);
        foreach (var allocation in allocations)
        {
            grants.Add(new OfferGrant(allocation.FrameworkId, allocation.AgentId, allocation.Role, allocation.Resources.ToProto()));
        }

        return grants;
    }

    private static FrameworkSpec Spec(FrameworkInfo info, IReadOnlyCollection<string> suppressedRoles)
    {
        var capabilities = new List<string>(info.Capabilities.Count);
        var multiRole = false;
        foreach (var capability in info.Capabilities)
        {
            capabilities.Add(Model.ProtoEnumNames.Name(capability.Type));
            multiRole |= capability.Type == FrameworkInfo.Types.Capability.Types.Type.MultiRole;
        }

#pragma warning disable CS0612 // FrameworkInfo.role: deprecated, still what non-MULTI_ROLE frameworks send.
        IReadOnlyCollection<string> roles = multiRole ? [.. info.Roles] : [info.HasRole ? info.Role : "*"];
#pragma warning restore CS0612
        return new FrameworkSpec(roles, [.. suppressedRoles], capabilities);
    }

    /// <summary>Resources in allocated form; entries without allocation_info are taken as allocated to their own role.</summary>
    private static Resources Allocated(IReadOnlyList<ProtoResource> resources)
    {
        var parsed = ResourceConversions.FromProto(resources);
        return parsed;
    }
}
