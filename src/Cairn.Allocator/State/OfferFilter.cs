using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>
/// A refuse filter (mesos.md §5.7): the framework does not want offers for <see cref="Role"/> on one agent that
/// are contained in <see cref="Refused"/> until <see cref="Expires"/>. More resources than refused lift it.
/// </summary>
internal sealed record OfferFilter(string Role, Resources Refused, DateTimeOffset Expires);
