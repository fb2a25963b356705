namespace Cairn.CodeGen;

/// <summary>An inclusive version range from a schema ("0+", "3-9", "5", "none").</summary>
internal readonly record struct VersionRange(short Min, short Max)
{
    public static readonly VersionRange None = new(1, 0);
    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Min > Max;

    public static VersionRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        text = text.Trim();
        if (text == "none") return None;
        if (text.EndsWith('+')) return new(short.Parse(text[..^1]), short.MaxValue);
        var dash = text.IndexOf('-');
        return dash < 0 ? new(short.Parse(text), short.Parse(text)) : new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
    }

    public VersionRange Intersect(VersionRange other) =>
        new(Math.Max(Min, other.Min), Math.Min(Max, other.Max));

    public bool Contains(short v) => v >= Min && v <= Max;

    /// <summary>A C# condition on <c>version</c> valid within <paramref name="scope"/> (the versions the code runs in).</summary>
    public string Condition(VersionRange scope)
    {
        var r = Intersect(scope);
        if (r.IsEmpty) return "false";
        var needMin = r.Min > scope.Min;
        var needMax = r.Max < scope.Max;
        if (!needMin && !needMax) return "true";
        if (needMin && needMax) return r.Min == r.Max ? $"version == {r.Min}" : $"version >= {r.Min} && version <= {r.Max}";
        return needMin ? $"version >= {r.Min}" : $"version <= {r.Max}";
    }

    public override string ToString() => IsEmpty ? "none" : Max == short.MaxValue ? $"{Min}+" : Min == Max ? $"{Min}" : $"{Min}-{Max}";
}
