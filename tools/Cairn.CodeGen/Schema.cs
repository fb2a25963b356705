using System.Text.Json;

namespace Cairn.CodeGen;

/// <summary>One field of a message or struct schema.</summary>
internal sealed class FieldSpec
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required VersionRange Versions { get; init; }
    public VersionRange NullableVersions { get; init; } = VersionRange.None;
    public VersionRange TaggedVersions { get; init; } = VersionRange.None;
    public VersionRange? FlexibleVersions { get; init; }
    public int? Tag { get; init; }
    public string? Default { get; init; }
    public string About { get; init; } = "";
    public List<FieldSpec>? Fields { get; init; }

    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);
    public string ElementType => IsArray ? Type[2..] : Type;
    public bool IsNullableAnywhere => !NullableVersions.IsEmpty;
    public bool IsTagged => Tag.HasValue;

    public static FieldSpec Parse(JsonElement e)
    {
        string? def = null;
        if (e.TryGetProperty("default", out var d))
        {
            def = d.ValueKind switch
            {
                JsonValueKind.String => d.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => d.GetRawText(),
            };
        }

        var tagged = VersionRange.Parse(Str(e, "taggedVersions"));
        var versionsText = Str(e, "versions");
        return new FieldSpec
        {
            Name = Str(e, "name")!,
            Type = Str(e, "type")!,
            Versions = versionsText is null ? (tagged.IsEmpty ? VersionRange.All : tagged) : VersionRange.Parse(versionsText),
            NullableVersions = VersionRange.Parse(Str(e, "nullableVersions")),
            TaggedVersions = tagged,
            FlexibleVersions = Str(e, "flexibleVersions") is { } fv ? VersionRange.Parse(fv) : null,
            Tag = e.TryGetProperty("tag", out var t) ? (t.ValueKind == JsonValueKind.String ? int.Parse(t.GetString()!) : t.GetInt32()) : null,
            Default = def,
            About = Str(e, "about") ?? "",
            Fields = e.TryGetProperty("fields", out var fs) ? [.. fs.EnumerateArray().Select(Parse)] : null,
        };
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

/// <summary>A top-level message schema (request, response, header or data).</summary>
internal sealed class MessageSpec
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public int? ApiKey { get; init; }
    public required VersionRange ValidVersions { get; init; }
    public required VersionRange FlexibleVersions { get; init; }
    public bool LatestVersionUnstable { get; init; }
    public required List<FieldSpec> Fields { get; init; }
    public List<FieldSpec> CommonStructs { get; init; } = [];

    public static MessageSpec Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var root = doc.RootElement;
        return new MessageSpec
        {
            Name = FieldSpec.Str(root, "name")!,
            Kind = FieldSpec.Str(root, "type")!,
            ApiKey = root.TryGetProperty("apiKey", out var k) ? k.GetInt32() : null,
            ValidVersions = VersionRange.Parse(FieldSpec.Str(root, "validVersions")),
            FlexibleVersions = VersionRange.Parse(FieldSpec.Str(root, "flexibleVersions")),
            LatestVersionUnstable = root.TryGetProperty("latestVersionUnstable", out var u) && u.ValueKind == JsonValueKind.True,
            Fields = [.. root.GetProperty("fields").EnumerateArray().Select(FieldSpec.Parse)],
            CommonStructs = root.TryGetProperty("commonStructs", out var cs)
                ? [.. cs.EnumerateArray().Select(s => new FieldSpec
                {
                    Name = FieldSpec.Str(s, "name")!,
                    Type = FieldSpec.Str(s, "name")!,
                    Versions = VersionRange.Parse(FieldSpec.Str(s, "versions") ?? "0+"),
                    Fields = [.. s.GetProperty("fields").EnumerateArray().Select(FieldSpec.Parse)],
                })]
                : [],
        };
    }
}
