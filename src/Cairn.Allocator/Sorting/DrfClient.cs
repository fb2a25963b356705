namespace Cairn.Allocator;

/// <summary>Something a DRF sorter orders: by weighted dominant share, then number of allocations (fewer first), then name.</summary>
internal abstract class DrfClient
{
    /// <summary>Dominant share divided by weight; cached and refreshed when allocations or cluster totals change.</summary>
    public double Share { get; set; }

    /// <summary>Number of allocations made to this client (fewer wins ties, as in Mesos' sorter).</summary>
    public long AllocationCount { get; set; }

    /// <summary>Tie-breaker of last resort.</summary>
    public abstract string SortName { get; }

    /// <summary>Position in the <see cref="DrfList{T}"/> holding the client, or -1.</summary>
    public int Index { get; set; } = -1;

    public static int Compare(DrfClient a, DrfClient b)
    {
        var c = a.Share.CompareTo(b.Share);
        if (c != 0)
        {
            return c;
        }

        c = a.AllocationCount.CompareTo(b.AllocationCount);
        return c != 0 ? c : string.CompareOrdinal(a.SortName, b.SortName);
    }
}
