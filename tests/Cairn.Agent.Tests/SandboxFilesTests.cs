using System.Text;
using System.Text.Json;
using Cairn.Agent.Http;
using Cairn.Agent.Sandbox;

namespace Cairn.Agent.Tests;

public sealed class SandboxFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (string Data, long Offset) Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return (doc.RootElement.GetProperty("data").GetString()!, doc.RootElement.GetProperty("offset").GetInt64());
    }

    [Fact]
    public void Read_returns_data_at_offset_and_offset_minus_one_gives_the_size()
    {
        var file = Path.Combine(_dir, "stdout");
        File.WriteAllText(file, "hello world\n");
        Parse(SandboxFiles.Read(file, 6, 5)!).ShouldBe(("world", 6L));
        Parse(SandboxFiles.Read(file, -1, -1)!).ShouldBe(("", 12L));
        Parse(SandboxFiles.Read(file, 100, 5)!).ShouldBe(("", 12L));
        SandboxFiles.Read(Path.Combine(_dir, "missing"), 0, 5).ShouldBeNull();
    }

    [Fact]
    public void A_chunk_never_ends_inside_a_utf8_sequence()
    {
        var file = Path.Combine(_dir, "stdout");
        File.WriteAllBytes(file, Encoding.UTF8.GetBytes("aé€😀b"));
        var text = new StringBuilder();
        long offset = 0;
        for (var guard = 0; guard < 100; guard++)
        {
            var (data, at) = Parse(SandboxFiles.Read(file, offset, 2)!);
            if (data.Length == 0 && at >= 11)
            {
                break;
            }

            text.Append(data);
            offset = at + Encoding.UTF8.GetByteCount(data);
            if (data.Length == 0)
            {
                // a 4-byte sequence does not fit in 2 bytes: read it with a larger window
                var (wide, _) = Parse(SandboxFiles.Read(file, offset, 4)!);
                text.Append(wide);
                offset += Encoding.UTF8.GetByteCount(wide);
            }
        }

        text.ToString().ShouldBe("aé€😀b");
    }

    [Fact]
    public void Paths_outside_the_work_dir_are_refused_and_virtual_sandbox_paths_resolve()
    {
        var layout = new WorkDirLayout(_dir);
        var files = new SandboxFiles(layout, () => "A-S1");
        files.Resolve("/etc/passwd").ShouldBeNull();
        files.Resolve(Path.Combine(_dir, "..", "x")).ShouldBeNull();
        files.Resolve("relative").ShouldBeNull();
        var sandbox = layout.Sandbox("A-S1", "F1", "t1", "run1");
        Directory.CreateDirectory(sandbox);
        files.Resolve("/frameworks/F1/executors/t1/runs/latest/stdout").ShouldBe(Path.Combine(sandbox, "stdout"));
        files.Resolve(Path.Combine(sandbox, "stdout")).ShouldBe(Path.Combine(sandbox, "stdout"));
    }

    [Fact]
    public void Browse_lists_entries_with_mesos_fields()
    {
        File.WriteAllText(Path.Combine(_dir, "stdout"), "x");
        using var doc = JsonDocument.Parse(SandboxFiles.Browse(_dir)!);
        var entry = doc.RootElement.EnumerateArray().Single();
        entry.GetProperty("path").GetString().ShouldBe(Path.Combine(_dir, "stdout"));
        entry.GetProperty("size").GetInt64().ShouldBe(1);
        entry.GetProperty("mode").GetString()!.ShouldStartWith("-rw");
    }
}
