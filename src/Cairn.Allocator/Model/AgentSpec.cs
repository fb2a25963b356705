using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>What the allocator needs to know about an agent.</summary>
/// <param name="Hostname">Agent hostname, copied into allocations for the offer.</param>
/// <param name="Total">Total resources of the agent, including static reservations (unallocated form).</param>
/// <param name="Attributes">Agent attributes, copied into allocations for the offer.</param>
public sealed record AgentSpec(string Hostname, Resources Total, Attributes Attributes);
