using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>An outstanding offer.</summary>
public sealed class OfferRecord(Offer offer, string role, Cairn.Common.Resources resources, DateTimeOffset? expiresAt)
{
    public Offer Offer { get; } = offer;

    public string Id => Offer.Id.Value;

    public string FrameworkId => Offer.FrameworkId.Value;

    public string AgentId => Offer.AgentId.Value;

    public string Role { get; } = role;

    /// <summary>The offered resources (allocated to <see cref="Role"/>).</summary>
    public Cairn.Common.Resources Resources { get; } = resources;

    /// <summary>When the offer is rescinded (--offer_timeout), or null.</summary>
    public DateTimeOffset? ExpiresAt { get; } = expiresAt;
}
