using System.Globalization;
using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Cluster;

/// <summary><c>cairn up</c> starts a local cluster as child processes; SIGINT stops everything, tasks included.</summary>
public sealed class UpCommandTests
{
    [Fact]
    public async Task Up_starts_a_master_and_three_agents_and_sigint_leaves_no_process_behind()
    {
        var root = Directory.CreateTempSubdirectory("cairn-up-").FullName;
        var basePort = FourFreePorts();
        var master = $"127.0.0.1:{basePort}";
        await using var up = CairnProcess.Start("cairn up", ["up", "--agents", "3", "--master-port", Str(basePort), "--work-dir", Path.Combine(root, ".cairn")], workingDirectory: root);
        try
        {
            await up.WaitForLineAsync(l => l.StartsWith("cairn up: cluster ready", StringComparison.Ordinal), "cluster ready", TimeSpan.FromMinutes(3));
            up.Output.ShouldContain("rack:r1");
            up.Output.ShouldContain("rack:r3");
            for (var i = 1; i <= 3; i++)
            {
                Directory.Exists(Path.Combine(root, ".cairn", $"agent-{i}")).ShouldBeTrue();
            }

            await using var run = CairnProcess.Start("cairn run sleep", ["run", "--master", master, "--", "sleep 300"]);
            await run.WaitForLineAsync(l => l.Contains("TASK_RUNNING", StringComparison.Ordinal), "task running", TimeSpan.FromMinutes(2));
            var descendants = Descendants(up.Pid);
            descendants.Count.ShouldBeGreaterThanOrEqualTo(5, "master, three agents and the task");

            up.Signal(Signals.Int);
            (await up.WaitForExitAsync(TimeSpan.FromMinutes(3))).ShouldBe(0, up.Output);
            await Poll.UntilAsync(() => descendants.TrueForAll(pid => !IsAlive(pid)), "every process of the cluster to be gone", TimeSpan.FromSeconds(30));
            (await run.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldNotBe(0);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FourFreePorts()
    {
        while (true)
        {
            var port = FreePort.Next();
            if (LocalCluster.IsFree(port + 1) && LocalCluster.IsFree(port + 2) && LocalCluster.IsFree(port + 3))
            {
                return port;
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Every process below pid, found by walking /proc's parent links.
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var (pid, parent) in parents)
            {
                if (parent == current)
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }
}
