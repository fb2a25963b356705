using System.Collections;
using System.Globalization;

namespace Cairn.Common;

/// <summary>
/// An agent's attributes in the order given, e.g. parsed from <c>rack:r1;zone:a;level:10;keys:[1000-1500];tags:{x,y}</c>.
/// A value starting with <c>[</c> is ranges, with <c>{</c> a set, a number is a scalar, anything else is text.
/// </summary>
public sealed class Attributes : IReadOnlyList<Attribute>, IEquatable<Attributes>
{
    private readonly Attribute[] _items;

    private Attributes(Attribute[] items) => _items = items;

    /// <summary>No attributes.</summary>
    public static Attributes Empty { get; } = new([]);

    /// <summary>Attributes from a list, order kept.</summary>
    public static Attributes Create(IEnumerable<Attribute> items) => new([.. items]);

    /// <summary>Number of attributes.</summary>
    public int Count => _items.Length;

    /// <summary>Attribute by position.</summary>
    public Attribute this[int index] => _items[index];

    /// <summary>The first attribute with the given name, or null (Mesos' constraint selector semantics).</summary>
    public Attribute? Get(string name)
    {
        foreach (var a in _items)
        {
            if (a.Name == name)
            {
                return a;
            }
        }

        return null;
    }

    /// <summary>Parses <c>name:value;...</c>.</summary>
    /// <exception cref="FormatException">Malformed text; the message names the bad entry.</exception>
    public static Attributes Parse(string text) =>
        TryParse(text, out var attributes, out var error) ? attributes : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>, returning false and a precise message instead of throwing.</summary>
    public static bool TryParse(string text, out Attributes attributes, out string error)
    {
        attributes = Empty;
        error = "";
        var span = text.AsSpan().Trim();
        var list = new List<Attribute>();
        foreach (var range in span.Split(';'))
        {
            var entry = span[range].Trim();
            if (entry.IsEmpty)
            {
                continue;
            }

            var colon = entry.IndexOf(':');
            if (colon <= 0)
            {
                error = $"Bad attribute '{entry}': expected name:value";
                return false;
            }

            var name = entry[..colon].Trim().ToString();
            var value = entry[(colon + 1)..].Trim();
            if (value.IsEmpty)
            {
                error = $"Bad attribute '{entry}': missing value";
                return false;
            }

            if (value[0] == '[')
            {
                if (ValueRanges.TryParse(value, out var ranges) is { } bad)
                {
                    error = $"Bad attribute '{entry}': {bad}";
                    return false;
                }

                list.Add(Attribute.CreateRanges(name, ranges));
            }
            else if (value[0] == '{' && value[^1] == '}')
            {
                var items = SetText.ParseItems(value);

                list.Add(Attribute.CreateSet(name, items));
            }
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scalar) && double.IsFinite(scalar))
            {
                list.Add(Attribute.CreateScalar(name, scalar));
            }
            else
            {
                list.Add(Attribute.CreateText(name, value.ToString()));
            }
        }

        attributes = new Attributes([.. list]);
        return true;
    }

    /// <summary><c>name:value;name:value</c>; parses back to an equal value.</summary>
    public override string ToString() => string.Join(";", (IEnumerable<Attribute>)_items);

    /// <inheritdoc />
    public IEnumerator<Attribute> GetEnumerator() => ((IEnumerable<Attribute>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(Attributes? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Attributes);

    /// <inheritdoc />
    public override int GetHashCode() => _items.Length;
}
