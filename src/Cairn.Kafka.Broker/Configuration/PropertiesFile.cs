using System.Text;

namespace Cairn.Kafka.Broker.Configuration;

/// <summary>Reads Java <c>.properties</c> text (Kafka's <c>server.properties</c>).</summary>
public static class PropertiesFile
{
    /// <summary>Parses properties text: <c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c>/<c>!</c> comments; backslash continuations.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var logical = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (logical.Length == 0 && (line.Length == 0 || line[0] == '#' || line[0] == '!'))
            {
                continue;
            }

            if (EndsWithContinuation(line))
            {
                logical.Append(line, 0, line.Length - 1);
                continue;
            }

            logical.Append(line);
            AddEntry(result, logical.ToString());
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            AddEntry(result, logical.ToString());
        }

        return result;
    }

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static void AddEntry(Dictionary<string, string> result, string entry)
    {
        var split = -1;
        for (var i = 0; i < entry.Length; i++)
        {
            var c = entry[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t')
            {
                split = i;
                break;
            }
        }

        string key;
        string value;
        if (split < 0)
        {
            key = entry;
            value = "";
        }
        else
        {
            key = entry[..split];
            var rest = entry[(split + 1)..].TrimStart();
            if (entry[split] is ' ' or '\t' && rest.Length > 0 && rest[0] is '=' or ':')
            {
                rest = rest[1..].TrimStart();
            }

            value = rest;
        }

        key = Unescape(key.Trim());
        if (key.Length > 0)
        {
            result[key] = Unescape(value.TrimEnd());
        }
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            var n = s[++i];
            sb.Append(n switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                'f' => '\f',
                _ => n,
            });
        }

        return sb.ToString();
    }
}
