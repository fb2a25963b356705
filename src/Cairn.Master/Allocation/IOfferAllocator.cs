using Google.Protobuf.Collections;
using Mesos.V1;

namespace Cairn.Master.Allocation;

/// <summary>
/// What the master needs from the allocator, in Mesos' protobuf terms. The master calls it only
/// from its own loop; an implementation needs no locking. The production implementation adapts
/// Cairn.Allocator's weighted DRF allocator.
/// </summary>
public interface IOfferAllocator
{
    void AddFramework(string frameworkId, FrameworkInfo info, IReadOnlyCollection<string> suppressedRoles);

    void RemoveFramework(string frameworkId);

    /// <summary>A disconnected framework gets no offers until it re-subscribes.</summary>
    void DeactivateFramework(string frameworkId);

    void ActivateFramework(string frameworkId);

    /// <summary>Roles or other fields changed on re-subscribe.</summary>
    void UpdateFramework(string frameworkId, FrameworkInfo info, IReadOnlyCollection<string> suppressedRoles);

    /// <summary>Adds an agent with its total resources and what its tasks already use, per framework.</summary>
    void AddAgent(string agentId, AgentInfo info, RepeatedField<Resource> total, IReadOnlyDictionary<string, List<Resource>> usedByFramework);

    void RemoveAgent(string agentId);

    /// <summary>Resources allocated to a framework (offered or used by tasks) come back, optionally
    /// with a refuse filter of <paramref name="refuseSeconds"/>.</summary>
    void RecoverResources(string frameworkId, string agentId, IReadOnlyList<Resource> resources, double? refuseSeconds);

    /// <summary>Stops offers to the framework for <paramref name="roles"/> (all its roles when empty).</summary>
    void Suppress(string frameworkId, IReadOnlyCollection<string> roles);

    /// <summary>Clears filters and resumes offers for <paramref name="roles"/> (all when empty).</summary>
    void Revive(string frameworkId, IReadOnlyCollection<string> roles);

    /// <summary>Runs one allocation cycle and returns the offers to make.</summary>
    IReadOnlyList<OfferGrant> Allocate(DateTimeOffset now);
}

/// <summary>Resources of one agent granted to one framework for one role.</summary>
public sealed record OfferGrant(string FrameworkId, string AgentId, string Role, IReadOnlyList<Resource> Resources);
