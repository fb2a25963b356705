using System.Globalization;
using System.Text.Json;

namespace Cairn.Common;

public sealed partial class Resources
{
    /// <summary>
    /// Parses the agent flag syntax <c>cpus:4;mem:8192;ports:[31000-32000];ports(logstash):[514-514];bugs:{a,b}</c>
    /// (entries <c>name[(role)][(allocated: role)]:value</c>, separated by <c>;</c>) or the JSON array form
    /// (<c>[{"name":"cpus","type":"SCALAR","scalar":{"value":4}}, ...]</c> with optional <c>role</c>,
    /// <c>reservations</c> and <c>allocation_info</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is malformed; the message says which entry and why.</exception>
    public static Resources Parse(string text) =>
        TryParse(text, out var resources, out var error) ? resources : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>, returning false and a precise message instead of throwing.</summary>
    public static bool TryParse(string text, out Resources resources, out string error)
    {
        resources = Empty;
        error = "";
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] == '[')
        {
            return TryParseJson(text, out resources, out error);
        }

        var list = new List<Resource>();
        foreach (var range in trimmed.Split(';'))
        {
            var entry = trimmed[range].Trim();
            if (entry.IsEmpty)
            {
                continue;
            }

            var message = ParseEntry(entry, out var resource);
            if (message is not null)
            {
                error = $"Bad resource '{entry}': {message}";
                return false;
            }

            list.Add(resource!);
        }

        return Finish(list, out resources, out error);
    }

    private static string? ParseEntry(ReadOnlySpan<char> entry, out Resource? resource)
    {
        resource = null;
        var i = 0;
        while (i < entry.Length && entry[i] != '(' && entry[i] != ':')
        {
            i++;
        }

        var name = entry[..i].Trim().ToString();
        if (name.Length == 0)
        {
            return "missing resource name";
        }

        var role = Roles.Any;
        string? allocationRole = null;
        while (i < entry.Length && entry[i] == '(')
        {
            var close = entry[i..].IndexOf(')');
            if (close < 0)
            {
                return "unbalanced '(' in role";
            }

            var inner = entry[(i + 1)..(i + close)].Trim();
            if (inner.StartsWith("allocated:", StringComparison.Ordinal))
            {
                allocationRole = inner["allocated:".Length..].Trim().ToString();
                if (Roles.Validate(allocationRole) is { } bad)
                {
                    return bad;
                }
            }
            else
            {
                role = inner.ToString();
                if (Roles.Validate(role) is { } bad)
                {
                    return bad;
                }
            }

            i += close + 1;
        }

        if (i >= entry.Length || entry[i] != ':')
        {
            return "expected ':' followed by a value";
        }

        var value = entry[(i + 1)..].Trim();
        if (value.IsEmpty)
        {
            return "missing value";
        }

        if (value[0] == '[')
        {
            if (ValueRanges.TryParse(value, out var ranges) is { } bad)
            {
                return bad;
            }

            resource = Resource.CreateRanges(name, ranges, role, allocationRole);
        }
        else if (value[0] == '{')
        {
            if (value[^1] != '}')
            {
                return "set must be written as {a,b,c}";
            }

            var items = SetText.ParseItems(value);

            resource = Resource.CreateSet(name, items, role, allocationRole);
        }
        else
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scalar) || !double.IsFinite(scalar))
            {
                return $"'{value}' is not a number, a range list [b-e] or a set {{a,b}}";
            }

            if (scalar < 0)
            {
                return "scalar must not be negative";
            }

            resource = Resource.CreateScalar(name, scalar, role, allocationRole);
        }

        return null;
    }

    private static bool TryParseJson(string text, out Resources resources, out string error)
    {
        resources = Empty;
        error = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            error = $"Bad resources JSON: {e.Message}";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "Bad resources JSON: expected an array of resource objects";
                return false;
            }

            var list = new List<Resource>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var message = ParseJsonEntry(element, out var resource);
                if (message is not null)
                {
                    error = $"Bad resource at index {index}: {message}";
                    return false;
                }

                list.Add(resource!);
                index++;
            }

            return Finish(list, out resources, out error);
        }
    }

    private static string? ParseJsonEntry(JsonElement element, out Resource? resource)
    {
        resource = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "expected an object";
        }

        if (!element.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { Length: > 0 } name)
        {
            return "missing 'name'";
        }

        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return $"resource '{name}' is missing 'type'";
        }

        var role = Roles.Any;
        if (element.TryGetProperty("role", out var roleElement) && roleElement.ValueKind == JsonValueKind.String)
        {
            role = roleElement.GetString()!;
        }

        if (element.TryGetProperty("reservations", out var reservations) && reservations.ValueKind == JsonValueKind.Array && reservations.GetArrayLength() > 0)
        {
            // The stack's last entry is the current owner; Cairn keeps static reservations only.
            var last = reservations[reservations.GetArrayLength() - 1];
            if (!last.TryGetProperty("role", out var r) || r.ValueKind != JsonValueKind.String)
            {
                return $"resource '{name}' has a reservation without a role";
            }

            role = r.GetString()!;
        }

        if (Roles.Validate(role) is { } badRole)
        {
            return badRole;
        }

        string? allocationRole = null;
        if (element.TryGetProperty("allocation_info", out var allocation) && allocation.ValueKind == JsonValueKind.Object
            && allocation.TryGetProperty("role", out var ar) && ar.ValueKind == JsonValueKind.String)
        {
            allocationRole = ar.GetString();
        }

        switch (typeElement.GetString())
        {
            case "SCALAR":
                if (!element.TryGetProperty("scalar", out var scalar) || !scalar.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number)
                {
                    return $"scalar resource '{name}' is missing 'scalar.value'";
                }

                var d = v.GetDouble();
                if (d < 0 || !double.IsFinite(d))
                {
                    return $"scalar resource '{name}' must not be negative";
                }

                resource = Resource.CreateScalar(name, d, role, allocationRole);
                return null;
            case "RANGES":
                var list = new List<ValueRange>();
                if (element.TryGetProperty("ranges", out var ranges) && ranges.TryGetProperty("range", out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        if (!item.TryGetProperty("begin", out var b) || !item.TryGetProperty("end", out var e)
                            || !b.TryGetUInt64(out var begin) || !e.TryGetUInt64(out var end))
                        {
                            return $"range of '{name}' needs unsigned 'begin' and 'end'";
                        }

                        if (begin > end)
                        {
                            return $"range {begin}-{end} of '{name}' has begin greater than end";
                        }

                        list.Add(new ValueRange(begin, end));
                    }
                }

                resource = Resource.CreateRanges(name, ValueRanges.Create(list), role, allocationRole);
                return null;
            case "SET":
                var set = new List<string>();
                if (element.TryGetProperty("set", out var s) && s.TryGetProperty("item", out var setItems) && setItems.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in setItems.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            return $"set item of '{name}' must be a string";
                        }

                        set.Add(item.GetString()!);
                    }
                }

                resource = Resource.CreateSet(name, set, role, allocationRole);
                return null;
            default:
                return $"resource '{name}' has unknown type '{typeElement.GetString()}' (expected SCALAR, RANGES or SET)";
        }
    }

    /// <summary>Checks the kinds of well-known names and that one name has one kind, then merges.</summary>
    private static bool Finish(List<Resource> list, out Resources resources, out string error)
    {
        resources = Empty;
        error = "";
        var kinds = new Dictionary<string, ResourceKind>(StringComparer.Ordinal);
        foreach (var r in list)
        {
            var expected = ExpectedKind(r.Name);
            if (expected is { } k && k != r.Kind)
            {
                error = $"Bad resource '{r}': '{r.Name}' must be of type {k.ToString().ToUpperInvariant()}";
                return false;
            }

            if (kinds.TryGetValue(r.Name, out var seen) && seen != r.Kind)
            {
                error = $"Bad resource '{r}': '{r.Name}' is used with two different types";
                return false;
            }

            if (r.Name == "gpus" && r.ScalarMillis % ScalarValue.Scale != 0)
            {
                error = $"Bad resource '{r}': gpus must be a whole number";
                return false;
            }

            kinds[r.Name] = r.Kind;
        }

        resources = Create(list);
        return true;
    }

    private static ResourceKind? ExpectedKind(string name) => name switch
    {
        "cpus" or "mem" or "disk" or "gpus" => ResourceKind.Scalar,
        "ports" => ResourceKind.Ranges,
        _ => null,
    };
}
