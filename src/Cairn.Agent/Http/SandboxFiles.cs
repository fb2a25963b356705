using System.Text;
using System.Text.Json;
using Cairn.Agent.Sandbox;

namespace Cairn.Agent.Http;

/// <summary>
/// Mesos' /files/browse and /files/read over the agent's work_dir. A path is either a real absolute path inside
/// the work_dir, or Mesos' virtual form <c>/frameworks/&lt;fw&gt;/executors/&lt;executor&gt;/runs/latest[/…]</c>.
/// </summary>
public sealed class SandboxFiles
{
    /// <summary>Largest chunk one read returns.</summary>
    public const int MaxReadLength = 1024 * 1024;

    private readonly WorkDirLayout _layout;
    private readonly Func<string?> _agentId;

    /// <summary>Creates the file server for a work_dir and the agent's current id.</summary>
    public SandboxFiles(WorkDirLayout layout, Func<string?> agentId)
    {
        _layout = layout;
        _agentId = agentId;
    }

    /// <summary>Maps a request path to a real path inside the work_dir, or null.</summary>
    public string? Resolve(string? path)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/'))
        {
            return null;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 6 && parts[0] == "frameworks" && parts[2] == "executors" && parts[4] == "runs" && _agentId() is { } agentId)
        {
            var runs = Path.Combine(_layout.Root, "slaves", agentId, "frameworks", parts[1], "executors", parts[3], "runs");
            var run = parts[5];
            if (run == "latest")
            {
                run = Latest(runs);
                if (run is null)
                {
                    return null;
                }
            }

            path = Path.Combine([runs, run, .. parts[6..]]);
        }

        var full = Path.GetFullPath(path);
        return _layout.Contains(full) ? full : null;
    }

    private static string? Latest(string runs)
    {
        if (!Directory.Exists(runs))
        {
            return null;
        }

        string? best = null;
        var bestTime = DateTime.MinValue;
        foreach (var dir in Directory.GetDirectories(runs))
        {
            var time = Directory.GetCreationTimeUtc(dir);
            if (best is null || time > bestTime)
            {
                best = Path.GetFileName(dir);
                bestTime = time;
            }
        }

        return best;
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes at <paramref name="offset"/> as Mesos' <c>{"data":…,"offset":…}</c>.
    /// offset -1 answers the file's size with empty data. The chunk never ends inside a UTF-8 sequence, so a reader
    /// that advances by the UTF-8 length of <c>data</c> stays aligned. Returns null when the file does not exist.
    /// </summary>
    public static byte[]? Read(string file, long offset, long length)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var size = stream.Length;
        string data;
        if (offset < 0)
        {
            offset = size;
            data = "";
        }
        else
        {
            offset = Math.Min(offset, size);
            var count = (int)Math.Min(Math.Min(length < 0 ? MaxReadLength : length, MaxReadLength), size - offset);
            var buffer = new byte[count];
            stream.Position = offset;
            stream.ReadExactly(buffer);
            var usable = count - IncompleteTail(buffer);
            data = Encoding.UTF8.GetString(buffer, 0, usable);
        }

        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("data", data);
            json.WriteNumber("offset", offset);
            json.WriteEndObject();
        }

        return output.ToArray();
    }

    // Bytes at the end that start a UTF-8 sequence the buffer does not complete.
    private static int IncompleteTail(ReadOnlySpan<byte> buffer)
    {
        for (var back = 1; back <= Math.Min(3, buffer.Length); back++)
        {
            var b = buffer[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return needed > back ? back : 0;
        }

        return 0;
    }

    /// <summary>Mesos' browse listing of a directory, or null when it does not exist.</summary>
    public static byte[]? Browse(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                var isDir = entry is DirectoryInfo;
                json.WriteStartObject();
                json.WriteString("path", entry.FullName);
                json.WriteNumber("nlink", 1);
                json.WriteNumber("size", entry is FileInfo f ? f.Length : 4096);
                json.WriteNumber("mtime", new DateTimeOffset(entry.LastWriteTimeUtc).ToUnixTimeSeconds());
                json.WriteString("mode", Mode(entry.UnixFileMode, isDir));
                json.WriteString("uid", "root");
                json.WriteString("gid", "root");
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return output.ToArray();
    }

    private static string Mode(UnixFileMode mode, bool directory)
    {
        Span<char> text = stackalloc char[10];
        text[0] = directory ? 'd' : '-';
        ReadOnlySpan<UnixFileMode> bits =
        [
            UnixFileMode.UserRead, UnixFileMode.UserWrite, UnixFileMode.UserExecute,
            UnixFileMode.GroupRead, UnixFileMode.GroupWrite, UnixFileMode.GroupExecute,
            UnixFileMode.OtherRead, UnixFileMode.OtherWrite, UnixFileMode.OtherExecute,
        ];
        for (var i = 0; i < 9; i++)
        {
            text[i + 1] = (mode & bits[i]) != 0 ? "rwx"[i % 3] : '-';
        }

        return new string(text);
    }
}
