namespace Cairn.CodeGen;

/// <summary>How a schema type maps to C#: property types, defaults and "is default" tests.</summary>
internal static class TypeModel
{
    public static readonly HashSet<string> Primitives =
        ["int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "bool", "uuid", "string", "bytes", "records"];

    public static bool IsPrimitive(string t) => Primitives.Contains(t);

    public static string Scalar(string t) => t switch
    {
        "int8" => "sbyte",
        "int16" => "short",
        "uint16" => "ushort",
        "int32" => "int",
        "uint32" => "uint",
        "int64" => "long",
        "float64" => "double",
        "bool" => "bool",
        "uuid" => "global::System.Guid",
        "string" => "string",
        "bytes" => "byte[]",
        "records" => "global::System.ReadOnlyMemory<byte>",
        _ => throw new InvalidOperationException($"not a primitive: {t}"),
    };

    public static string Literal(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>C# default literal for a scalar field, or null for the CLR default.</summary>
    public static string? ScalarDefault(FieldSpec f)
    {
        var d = f.Default;
        switch (f.Type)
        {
            case "string":
                if (d == "null") return null;
                return Literal(d ?? "");
            case "bytes":
                return d == "null" ? null : "[]";
            case "records":
                return null;
            case "uuid":
                return null;
            case "bool":
                return d is null ? null : d.ToLowerInvariant();
            default:
                if (d is null) return null;
                if (f.Type == "float64" && !d.Contains('.')) return d + ".0";
                return d;
        }
    }
}
