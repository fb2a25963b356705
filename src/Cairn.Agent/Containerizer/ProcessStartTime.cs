using System.Globalization;

namespace Cairn.Agent.Containerizer;

/// <summary>
/// Reads /proc/&lt;pid&gt;/stat: a process's state letter and its start time in clock ticks since boot.
/// The start time tells a re-adopted task's process apart from an unrelated process that reused its pid.
/// </summary>
internal static class ProcessStartTime
{
    public static char? ReadState(int pid) => Fields(pid) is { } f && f.Length > 0 && f[0].Length > 0 ? f[0][0] : null;

    public static long? Read(int pid) =>
        Fields(pid) is { Length: > 19 } f && long.TryParse(f[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;

    // Fields after the ")" that closes the command name (which may itself contain spaces).
    private static string[]? Fields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 1)..].Trim().Split(' ');
    }
}
