namespace Cairn.Common;

/// <summary>The value type of a resource (Mesos <c>Value.Type</c> without TEXT, which only attributes use).</summary>
public enum ResourceKind
{
    /// <summary>A non-negative number with three decimal places (cpus, mem, disk, gpus, custom).</summary>
    Scalar,

    /// <summary>Inclusive unsigned 64-bit ranges, e.g. <c>ports:[31000-32000]</c>.</summary>
    Ranges,

    /// <summary>A set of strings, e.g. <c>bugs:{a,b,c}</c>.</summary>
    Set,
}
