using System.Globalization;

namespace Cairn.Master.Options;

/// <summary>Mesos' duration syntax (stout <c>Duration::parse</c>): a number and a unit,
/// e.g. <c>1secs</c>, <c>500ms</c>, <c>15mins</c>, <c>2hrs</c>, <c>1days</c>, <c>1weeks</c>.</summary>
public static class MesosDuration
{
    /// <summary>Parses <paramref name="text"/>; a bare number means seconds.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var split = 0;
        while (split < span.Length && (char.IsAsciiDigit(span[split]) || span[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !double.TryParse(span[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }

        double? seconds = span[split..] switch
        {
            "" or "secs" or "sec" or "s" => number,
            "ns" => number / 1e9,
            "us" => number / 1e6,
            "ms" => number / 1e3,
            "mins" or "min" or "m" => number * 60,
            "hrs" or "hr" or "h" => number * 3600,
            "days" or "day" or "d" => number * 86400,
            "weeks" or "week" or "w" => number * 604800,
            _ => null,
        };
        if (seconds is not { } s || s > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(s);
        return true;
    }

    /// <summary>Formats a duration the way Mesos prints flags (e.g. <c>15secs</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        var ms = duration.TotalMilliseconds;
        if (ms < 1000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (duration.TotalSeconds < 60)
        {
            return duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "secs";
        }

        if (duration.TotalMinutes < 60)
        {
            return duration.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "mins";
        }

        return duration.TotalHours.ToString(CultureInfo.InvariantCulture) + "hrs";
    }
}
