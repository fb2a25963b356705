using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>
/// One offer to make: resources of one agent for one role of one framework (Mesos makes one offer per
/// framework × role × agent). The resources are marked allocated to <see cref="Role"/> and stay allocated until
/// the master hands them back with <see cref="HierarchicalAllocator.RecoverResources"/>.
/// </summary>
public sealed record Allocation(string FrameworkId, string AgentId, string Role, Resources Resources, string Hostname, Attributes Attributes);
