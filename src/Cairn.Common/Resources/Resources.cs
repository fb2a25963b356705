using System.Collections;

namespace Cairn.Common;

/// <summary>
/// An immutable bag of resources with Mesos semantics (mesos.md §5.1): entries are kept sorted by identity
/// (name, reservation role, allocation role, kind) with at most one non-empty entry per identity, so
/// <c>cpus:1;cpus:2</c> is <c>cpus:3</c> while <c>cpus:1;cpus(ads):2</c> keeps two entries.
/// Scalars use fixed-point thousandths. Arithmetic is in <c>Resources.Arithmetic.cs</c>, parsing in
/// <c>Resources.Parse.cs</c>, role filters in <c>Resources.Filters.cs</c>.
/// </summary>
public sealed partial class Resources : IReadOnlyList<Resource>, IEquatable<Resources>
{
    private readonly Resource[] _items;

    private Resources(Resource[] sortedMerged) => _items = sortedMerged;

    /// <summary>No resources.</summary>
    public static Resources Empty { get; } = new([]);

    /// <summary>Builds a bag from arbitrary entries: equal identities merge, empty entries are dropped.</summary>
    public static Resources Create(IEnumerable<Resource> items)
    {
        var list = new List<Resource>(items);
        list.Sort(Resource.CompareIdentity);
        var merged = new List<Resource>(list.Count);
        foreach (var item in list)
        {
            if (merged.Count > 0 && Resource.CompareIdentity(merged[^1], item) == 0)
            {
                merged[^1] = Combine(merged[^1], item);
            }
            else
            {
                merged.Add(item);
            }
        }

        merged.RemoveAll(static r => r.IsEmpty);
        return merged.Count == 0 ? Empty : new Resources([.. merged]);
    }

    /// <summary>Shorthand for an unreserved bag of scalars, e.g. <c>Resources.Scalars(("cpus", 1), ("mem", 128))</c>.</summary>
    public static Resources Scalars(params (string Name, double Value)[] scalars)
    {
        var list = new List<Resource>(scalars.Length);
        foreach (var (name, value) in scalars)
        {
            list.Add(Resource.CreateScalar(name, value));
        }

        return Create(list);
    }

    /// <summary>True when there are no resources.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>Number of distinct entries.</summary>
    public int Count => _items.Length;

    /// <summary>Entry by index (sorted by identity).</summary>
    public Resource this[int index] => _items[index];

    /// <summary>The entries as a span, sorted by identity.</summary>
    public ReadOnlySpan<Resource> AsSpan() => _items;

    /// <summary>Sum of the <c>cpus</c> scalars over all roles.</summary>
    public double Cpus => Scalar("cpus");

    /// <summary>Sum of the <c>mem</c> scalars (MB) over all roles.</summary>
    public double Mem => Scalar("mem");

    /// <summary>Sum of the <c>disk</c> scalars (MB) over all roles.</summary>
    public double Disk => Scalar("disk");

    /// <summary>Sum of the <c>gpus</c> scalars over all roles.</summary>
    public double Gpus => Scalar("gpus");

    /// <summary>Union of the <c>ports</c> ranges over all roles.</summary>
    public ValueRanges Ports => RangesOf("ports");

    /// <summary>Sum of a named scalar over all roles, in units (0 when absent).</summary>
    public double Scalar(string name) => ScalarValue.FromMillis(ScalarMillis(name));

    /// <summary>Sum of a named scalar over all roles, in thousandths.</summary>
    public long ScalarMillis(string name)
    {
        long total = 0;
        foreach (var r in _items)
        {
            if (r.Kind == ResourceKind.Scalar && r.Name == name)
            {
                total += r.ScalarMillis;
            }
        }

        return total;
    }

    /// <summary>Union of a named ranges resource over all roles.</summary>
    public ValueRanges RangesOf(string name)
    {
        var result = ValueRanges.Empty;
        foreach (var r in _items)
        {
            if (r.Kind == ResourceKind.Ranges && r.Name == name)
            {
                result = result.Union(r.Ranges);
            }
        }

        return result;
    }

    /// <summary>Union of a named set resource over all roles.</summary>
    public IReadOnlySet<string> SetOf(string name)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in _items)
        {
            if (r.Kind == ResourceKind.Set && r.Name == name)
            {
                result.UnionWith(r.SetItems);
            }
        }

        return result;
    }

    /// <summary>Mesos text form, entries separated by <c>"; "</c>; parses back to an equal value.</summary>
    public override string ToString() => string.Join("; ", (IEnumerable<Resource>)_items);

    /// <inheritdoc />
    public IEnumerator<Resource> GetEnumerator() => ((IEnumerable<Resource>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(Resources? other)
    {
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Resources);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var r in _items)
        {
            hash.Add(r);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(Resources? left, Resources? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Resources? left, Resources? right) => !(left == right);
}
