namespace Cairn.Common;

/// <summary>The body of a set value written as <c>{a,b,c}</c>, shared by resources and attributes.</summary>
internal static class SetText
{
    /// <summary>Items between the braces of <paramref name="value"/> (which starts with '{' and ends with '}'), trimmed, empty ones skipped.</summary>
    public static List<string> ParseItems(ReadOnlySpan<char> value)
    {
        var items = new List<string>();
        var body = value[1..^1];
        foreach (var part in body.Split(','))
        {
            var item = body[part].Trim();
            if (!item.IsEmpty)
            {
                items.Add(item.ToString());
            }
        }

        return items;
    }
}
