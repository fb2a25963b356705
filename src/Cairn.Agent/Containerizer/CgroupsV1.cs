using System.Globalization;

namespace Cairn.Agent.Containerizer;

/// <summary>
/// Optional cgroups v1 limits (agent flag --cgroups): one directory per task under
/// <c>&lt;hierarchy&gt;/cairn/&lt;container id&gt;</c> in the cpu and memory hierarchies, with
/// cpu.shares = 1024 × cpus (min 2) and memory.limit_in_bytes = mem (min 32 MB), as Mesos' isolators do.
/// </summary>
public sealed class CgroupsV1
{
    private readonly string _root;

    /// <summary>Creates an isolator over the cgroup mount point (normally /sys/fs/cgroup).</summary>
    public CgroupsV1(string root = "/sys/fs/cgroup") => _root = root;

    /// <summary>True when the cpu and memory v1 hierarchies are mounted and writable.</summary>
    public bool IsAvailable => Directory.Exists(Path.Combine(_root, "cpu")) && Directory.Exists(Path.Combine(_root, "memory"));

    /// <summary>Creates the task's cgroups, writes its limits and moves <paramref name="pid"/> in; returns an error text or null.</summary>
    public string? Isolate(string containerId, int pid, double? cpus, double? memMb)
    {
        try
        {
            if (cpus is { } c)
            {
                var dir = Create("cpu", containerId);
                var shares = Math.Max(2, (long)(1024 * c));
                File.WriteAllText(Path.Combine(dir, "cpu.shares"), shares.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(dir, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }

            if (memMb is { } m)
            {
                var dir = Create("memory", containerId);
                var bytes = (long)(Math.Max(32, m) * 1024 * 1024);
                File.WriteAllText(Path.Combine(dir, "memory.limit_in_bytes"), bytes.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(dir, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Removes the task's cgroups once its processes are gone (best effort).</summary>
    public void Cleanup(string containerId)
    {
        foreach (var controller in (ReadOnlySpan<string>)["cpu", "memory"])
        {
            try
            {
                var dir = Path.Combine(_root, controller, "cairn", containerId);
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // still busy or already gone; the next agent start may retry
            }
        }
    }

    /// <summary>The cgroup directory of a task in a controller's hierarchy.</summary>
    public string PathOf(string controller, string containerId) => Path.Combine(_root, controller, "cairn", containerId);

    private string Create(string controller, string containerId)
    {
        var dir = PathOf(controller, containerId);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
