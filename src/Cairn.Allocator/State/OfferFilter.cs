using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>
/// A refuse filter (mesos.md §5.7): the framework does not want offers for <see cref="Role"/> on one agent that
/// are contained in <see cref="Refused"/> until <see cref="Expires"/>. More resources than refused lift it.
/// </summary>
internal sealed class OfferFilter(string role, Resources refused, DateTimeOffset expires)
{
    private Resources? _lastCovered;

    public string Role { get; } = role;

    public Resources Refused { get; } = refused;

    public DateTimeOffset Expires { get; } = expires;

    /// <summary>
    /// True when <paramref name="candidate"/> is within the refused set. Resources are immutable and an unchanged
    /// agent offers the same instance every cycle, so the last positive answer is remembered by reference.
    /// </summary>
    public bool Covers(Resources candidate)
    {
        if (ReferenceEquals(candidate, _lastCovered))
        {
            return true;
        }

        if (!Refused.Contains(candidate))
        {
            return false;
        }

        _lastCovered = candidate;
        return true;
    }
}
