namespace Cairn.Common;

/// <summary>One agent attribute: a name and a typed value. Attributes are opaque to the allocator except for display and constraints.</summary>
public sealed class Attribute : IEquatable<Attribute>
{
    private Attribute(string name, AttributeKind kind, string text, double scalar, ValueRanges ranges, IReadOnlyList<string> set)
    {
        Name = name;
        Kind = kind;
        Text = text;
        Scalar = scalar;
        Ranges = ranges;
        SetItems = set;
    }

    /// <summary>Attribute name.</summary>
    public string Name { get; }

    /// <summary>Value type.</summary>
    public AttributeKind Kind { get; }

    /// <summary>The text value (for <see cref="AttributeKind.Text"/>).</summary>
    public string Text { get; }

    /// <summary>The scalar value, rounded to three decimal places (for <see cref="AttributeKind.Scalar"/>).</summary>
    public double Scalar { get; }

    /// <summary>The ranges value (for <see cref="AttributeKind.Ranges"/>).</summary>
    public ValueRanges Ranges { get; }

    /// <summary>The set items in the given order (for <see cref="AttributeKind.Set"/>).</summary>
    public IReadOnlyList<string> SetItems { get; }

    /// <summary>A text attribute.</summary>
    public static Attribute CreateText(string name, string value) => new(name, AttributeKind.Text, value, 0, ValueRanges.Empty, []);

    /// <summary>A scalar attribute.</summary>
    public static Attribute CreateScalar(string name, double value) =>
        new(name, AttributeKind.Scalar, "", ScalarValue.FromMillis(ScalarValue.ToMillis(value)), ValueRanges.Empty, []);

    /// <summary>A ranges attribute.</summary>
    public static Attribute CreateRanges(string name, ValueRanges value) => new(name, AttributeKind.Ranges, "", 0, value, []);

    /// <summary>A set attribute.</summary>
    public static Attribute CreateSet(string name, IEnumerable<string> items) => new(name, AttributeKind.Set, "", 0, ValueRanges.Empty, [.. items]);

    /// <summary>Mesos text form of the value: <c>r1</c>, <c>10</c>, <c>[1-2]</c>, <c>{a,b}</c>.</summary>
    public string FormatValue() => Kind switch
    {
        AttributeKind.Text => Text,
        AttributeKind.Scalar => ScalarValue.Format(ScalarValue.ToMillis(Scalar)),
        AttributeKind.Ranges => Ranges.ToString(),
        _ => "{" + string.Join(",", SetItems) + "}",
    };

    /// <summary><c>name:value</c>.</summary>
    public override string ToString() => $"{Name}:{FormatValue()}";

    /// <inheritdoc />
    public bool Equals(Attribute? other) =>
        other is not null && Name == other.Name && Kind == other.Kind && Text == other.Text && Scalar.Equals(other.Scalar)
        && Ranges.Equals(other.Ranges) && SetItems.SequenceEqual(other.SetItems);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Attribute);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Kind, Text, Scalar, Ranges, SetItems.Count);
}
