namespace Cairn.Common;

/// <summary>The value type of an agent attribute (Mesos <c>Value.Type</c>).</summary>
public enum AttributeKind
{
    /// <summary>A number, e.g. <c>level:10</c>.</summary>
    Scalar,

    /// <summary>Ranges, e.g. <c>keys:[1000-1500]</c>.</summary>
    Ranges,

    /// <summary>A set, e.g. <c>tags:{a,b}</c>.</summary>
    Set,

    /// <summary>Free text, e.g. <c>rack:r1</c>.</summary>
    Text,
}
