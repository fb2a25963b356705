namespace Cairn.Allocator;

/// <summary>Allocator-side view of a framework, stored in a dense slot.</summary>
internal sealed class FrameworkState(string id, int slot)
{
    public string Id { get; } = id;

    public int Slot { get; } = slot;

    /// <summary>False while the framework is only known from allocations reported by a re-registering agent.</summary>
    public bool Added { get; set; }

    public bool Active { get; set; }

    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Suppressed { get; } = new(StringComparer.Ordinal);

    public bool GpuCapable { get; set; }

    /// <summary>This framework's client in each role it is subscribed to or holds allocations in.</summary>
    public Dictionary<string, FrameworkRole> RoleClients { get; } = new(StringComparer.Ordinal);

    /// <summary>Refuse filters by agent slot.</summary>
    public Dictionary<int, List<OfferFilter>> Filters { get; } = [];

    /// <summary>Agent slots where this framework holds allocations.</summary>
    public HashSet<int> Agents { get; } = [];

    /// <summary>True when the framework should get offers for <paramref name="role"/>.</summary>
    public bool WantsOffers(string role) => Added && Active && Roles.Contains(role) && !Suppressed.Contains(role);
}
