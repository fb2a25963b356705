namespace Cairn.Common;

public sealed partial class Resources
{
    /// <summary>Sum: entries with equal identity merge (scalars add, ranges and sets unite).</summary>
    public Resources Add(Resources other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var a = _items;
        var b = other._items;
        var result = new Resource[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var c = Resource.CompareIdentity(a[i], b[j]);
            result[n++] = c < 0 ? a[i++] : c > 0 ? b[j++] : Combine(a[i++], b[j++]);
        }

        while (i < a.Length)
        {
            result[n++] = a[i++];
        }

        while (j < b.Length)
        {
            result[n++] = b[j++];
        }

        Array.Resize(ref result, n);
        return new Resources(result);
    }

    /// <summary>
    /// Difference: for each identity, scalars subtract (a result at or below zero drops the entry, as Mesos drops
    /// invalid/empty results), ranges and sets lose the other's values. Identities only in <paramref name="other"/> are ignored.
    /// </summary>
    public Resources Subtract(Resources other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var a = _items;
        var b = other._items;
        var result = new Resource[a.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length)
        {
            if (j >= b.Length)
            {
                result[n++] = a[i++];
                continue;
            }

            var c = Resource.CompareIdentity(a[i], b[j]);
            if (c < 0)
            {
                result[n++] = a[i++];
            }
            else if (c > 0)
            {
                j++;
            }
            else
            {
                var diff = Difference(a[i++], b[j++]);
                if (diff is not null)
                {
                    result[n++] = diff;
                }
            }
        }

        Array.Resize(ref result, n);
        return n == 0 ? Empty : new Resources(result);
    }

    /// <summary>True when every entry of <paramref name="other"/> is covered by the entry of the same identity here.</summary>
    public bool Contains(Resources other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        var a = _items;
        var b = other._items;
        var i = 0;
        foreach (var needed in b)
        {
            while (i < a.Length && Resource.CompareIdentity(a[i], needed) < 0)
            {
                i++;
            }

            if (i == a.Length || Resource.CompareIdentity(a[i], needed) != 0 || !Covers(a[i], needed))
            {
                return false;
            }
        }

        return true;
    }

    public static Resources operator +(Resources left, Resources right) => left.Add(right);

    public static Resources operator -(Resources left, Resources right) => left.Subtract(right);

    private static Resource Combine(Resource a, Resource b) => a.Kind switch
    {
        ResourceKind.Scalar => a.WithScalar(a.ScalarMillis + b.ScalarMillis),
        ResourceKind.Ranges => a.WithRanges(a.Ranges.Union(b.Ranges)),
        _ => a.WithSet(UnionSorted((string[])a.SetItems, (string[])b.SetItems)),
    };

    private static Resource? Difference(Resource a, Resource b)
    {
        switch (a.Kind)
        {
            case ResourceKind.Scalar:
                var left = a.ScalarMillis - b.ScalarMillis;
                return left > 0 ? a.WithScalar(left) : null;
            case ResourceKind.Ranges:
                var ranges = a.Ranges.Subtract(b.Ranges);
                return ranges.IsEmpty ? null : a.WithRanges(ranges);
            default:
                var items = ExceptSorted((string[])a.SetItems, (string[])b.SetItems);
                return items.Length == 0 ? null : a.WithSet(items);
        }
    }

    private static bool Covers(Resource have, Resource need) => have.Kind switch
    {
        ResourceKind.Scalar => have.ScalarMillis >= need.ScalarMillis,
        ResourceKind.Ranges => have.Ranges.Contains(need.Ranges),
        _ => ExceptSorted((string[])need.SetItems, (string[])have.SetItems).Length == 0,
    };

    private static string[] UnionSorted(string[] a, string[] b)
    {
        var result = new List<string>(a.Length + b.Length);
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var c = i == a.Length ? 1 : j == b.Length ? -1 : string.CompareOrdinal(a[i], b[j]);
            if (c < 0)
            {
                result.Add(a[i++]);
            }
            else if (c > 0)
            {
                result.Add(b[j++]);
            }
            else
            {
                result.Add(a[i++]);
                j++;
            }
        }

        return [.. result];
    }

    private static string[] ExceptSorted(string[] a, string[] b)
    {
        var result = new List<string>(a.Length);
        var j = 0;
        foreach (var item in a)
        {
            while (j < b.Length && string.CompareOrdinal(b[j], item) < 0)
            {
                j++;
            }

            if (j == b.Length || b[j] != item)
            {
                result.Add(item);
            }
        }

        return [.. result];
    }
}
