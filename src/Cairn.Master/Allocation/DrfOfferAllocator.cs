using Cairn.Master.Options;

namespace Cairn.Master.Allocation;

/// <summary>Adapts Cairn.Allocator's weighted DRF allocator to <see cref="IOfferAllocator"/>.</summary>
public static class DrfOfferAllocator
{
    public static IOfferAllocator Create(MasterOptions options, TimeProvider time) =>
        throw new NotSupportedException("The DRF allocator is not wired yet.");
}
