using System.Globalization;
using System.Text;

namespace Cairn.Common;

/// <summary>
/// An immutable set of unsigned integers kept as sorted, coalesced inclusive ranges
/// (<c>[1-2, 3-5]</c> becomes <c>[1-5]</c>, as Mesos coalesces adjacent ranges).
/// </summary>
public readonly struct ValueRanges : IEquatable<ValueRanges>
{
    private readonly ValueRange[]? _ranges;

    private ValueRanges(ValueRange[] normalized) => _ranges = normalized;

    /// <summary>The empty set.</summary>
    public static ValueRanges Empty => default;

    /// <summary>The coalesced ranges, ascending.</summary>
    public ReadOnlySpan<ValueRange> Ranges => _ranges;

    /// <summary>True when no value is contained.</summary>
    public bool IsEmpty => _ranges is null || _ranges.Length == 0;

    /// <summary>Number of values (not ranges) contained.</summary>
    public ulong Count
    {
        get
        {
            ulong n = 0;
            foreach (var r in Ranges)
            {
                n += r.Count;
            }

            return n;
        }
    }

    /// <summary>Builds a set from arbitrary (unsorted, overlapping) ranges. Ranges with Begin &gt; End are rejected.</summary>
    public static ValueRanges Create(IEnumerable<ValueRange> ranges)
    {
        var list = new List<ValueRange>(ranges);
        foreach (var r in list)
        {
            if (r.Begin > r.End)
            {
                throw new ArgumentException($"Range {r} has begin greater than end.", nameof(ranges));
            }
        }

        return Normalize(list);
    }

    /// <summary>A set holding the single range <c>[begin-end]</c>.</summary>
    public static ValueRanges Of(ulong begin, ulong end) => Create([new ValueRange(begin, end)]);

    private static ValueRanges Normalize(List<ValueRange> list)
    {
        if (list.Count == 0)
        {
            return Empty;
        }

        list.Sort(static (a, b) => a.Begin.CompareTo(b.Begin));
        var result = new List<ValueRange>(list.Count);
        var current = list[0];
        for (var i = 1; i < list.Count; i++)
        {
            var next = list[i];
            // Overlapping or adjacent (current.End + 1 == next.Begin) ranges merge; guard the overflow at ulong.MaxValue.
            if (current.End == ulong.MaxValue || next.Begin <= current.End + 1)
            {
                if (next.End > current.End)
                {
                    current = current with { End = next.End };
                }
            }
            else
            {
                result.Add(current);
                current = next;
            }
        }

        result.Add(current);
        return new ValueRanges([.. result]);
    }

    /// <summary>Union of two sets.</summary>
    public ValueRanges Union(ValueRanges other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var list = new List<ValueRange>(_ranges!.Length + other._ranges!.Length);
        list.AddRange(_ranges);
        list.AddRange(other._ranges);
        return Normalize(list);
    }

    /// <summary>The values of this set that are not in <paramref name="other"/>.</summary>
    public ValueRanges Subtract(ValueRanges other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        var result = new List<ValueRange>(_ranges!.Length + 1);
        var o = other._ranges!;
        var j = 0;
        foreach (var range in _ranges)
        {
            var begin = range.Begin;
            var end = range.End;
            var alive = true;
            while (j < o.Length && o[j].End < begin)
            {
                j++;
            }

            var k = j;
            while (alive && k < o.Length && o[k].Begin <= end)
            {
                var cut = o[k];
                if (cut.Begin > begin)
                {
                    result.Add(new ValueRange(begin, cut.Begin - 1));
                }

                if (cut.End >= end)
                {
                    alive = false;
                }
                else
                {
                    begin = cut.End + 1;
                    k++;
                }
            }

            if (alive)
            {
                result.Add(new ValueRange(begin, end));
            }
        }

        return result.Count == 0 ? Empty : new ValueRanges([.. result]);
    }

    /// <summary>True when every value of <paramref name="other"/> is in this set.</summary>
    public bool Contains(ValueRanges other)
    {
        if (other.IsEmpty)
        {
            return true;
        }

        if (IsEmpty)
        {
            return false;
        }

        var mine = _ranges!;
        var i = 0;
        foreach (var r in other._ranges!)
        {
            while (i < mine.Length && mine[i].End < r.Begin)
            {
                i++;
            }

            if (i == mine.Length || mine[i].Begin > r.Begin || mine[i].End < r.End)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="value"/> is in the set.</summary>
    public bool Contains(ulong value)
    {
        foreach (var r in Ranges)
        {
            if (value >= r.Begin && value <= r.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses <c>[a-b, c-d]</c> (spaces optional; <c>[]</c> is empty). Returns an error message or null.</summary>
    public static string? TryParse(ReadOnlySpan<char> text, out ValueRanges ranges)
    {
        ranges = Empty;
        text = text.Trim();
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            return $"ranges must be written as [begin-end,...], got '{text}'";
        }

        var body = text[1..^1].Trim();
        if (body.IsEmpty)
        {
            return null;
        }

        var list = new List<ValueRange>();
        foreach (var part in body.Split(','))
        {
            var item = body[part].Trim();
            var dash = item.IndexOf('-');
            if (dash <= 0)
            {
                return $"range '{item}' must be written as begin-end";
            }

            if (!ulong.TryParse(item[..dash].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var begin)
                || !ulong.TryParse(item[(dash + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                return $"range '{item}' has a bound that is not an unsigned integer";
            }

            if (begin > end)
            {
                return $"range '{item}' has begin greater than end";
            }

            list.Add(new ValueRange(begin, end));
        }

        ranges = Normalize(list);
        return null;
    }

    /// <summary>Mesos text form: <c>[31000-32000, 33000-34000]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var r in Ranges)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(r.Begin).Append('-').Append(r.End);
        }

        return sb.Append(']').ToString();
    }

    /// <inheritdoc />
    public bool Equals(ValueRanges other) => Ranges.SequenceEqual(other.Ranges);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueRanges other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var r in Ranges)
        {
            hash.Add(r);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(ValueRanges left, ValueRanges right) => left.Equals(right);

    public static bool operator !=(ValueRanges left, ValueRanges right) => !left.Equals(right);
}
