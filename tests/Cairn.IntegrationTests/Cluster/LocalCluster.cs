using System.Net.Sockets;
using System.Text.Json;
using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Cluster;

/// <summary>
/// A real master and agents (separate <c>cairn</c> processes) on free loopback ports, each with a work dir under
/// one temp dir. Disposal stops the agents (they kill their tasks) and then the master, and kills any task
/// process the test left orphaned (e.g. after SIGKILLing an agent).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<CairnProcess> _agents = [];
    private readonly HashSet<int> _taskPids = [];

    private LocalCluster(string root, int masterPort, CairnProcess master)
    {
        Root = root;
        MasterPort = masterPort;
        Master = master;
    }

    public string Root { get; }

    public int MasterPort { get; }

    public string MasterAddress => $"127.0.0.1:{MasterPort}";

    public Uri MasterUri => new($"http://127.0.0.1:{MasterPort}/");

    public CairnProcess Master { get; }

    public IReadOnlyList<CairnProcess> Agents => _agents;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts a master (extra flags allowed) and <paramref name="agents"/> agents; waits until all registered.</summary>
    public static async Task<LocalCluster> StartAsync(int agents, params string[] masterFlags)
    {
        var root = Directory.CreateTempSubdirectory("cairn-cluster-").FullName;
        var port = FreePort.Next();
        var master = CairnProcess.Start("master", ["master", "--ip", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--work_dir", Path.Combine(root, "master"), .. masterFlags]);
        var cluster = new LocalCluster(root, port, master);
        try
        {
            await master.WaitForLineAsync(l => l.StartsWith("cairn master: listening", StringComparison.Ordinal), "master listening");
            for (var i = 1; i <= agents; i++)
            {
                await cluster.StartAgentAsync(i);
            }

            await cluster.WaitForAgentsAsync(agents);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Agent i's HTTP port (stable across restarts of that agent).</summary>
    public Dictionary<int, int> AgentPorts { get; } = [];

    /// <summary>Starts agent <paramref name="index"/> (or restarts it, same work dir and port) and waits for its registration line.</summary>
    public async Task<CairnProcess> StartAgentAsync(int index)
    {
        if (!AgentPorts.TryGetValue(index, out var port))
        {
            AgentPorts[index] = port = FreePort.Next();
        }

        var portsBase = 31000 + (index * 100);
        var agent = CairnProcess.Start($"agent-{index}",
        [
            "agent", "--master", MasterAddress, "--ip", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--work_dir", Path.Combine(Root, $"agent-{index}"), "--attributes", $"rack:r{index}",
            "--resources", $"cpus:4;mem:4096;disk:4096;ports:[{portsBase}-{portsBase + 99}]",
        ]);
        _agents.Add(agent);
        await agent.WaitForLineAsync(l => l.Contains("registered with master", StringComparison.Ordinal), "agent registered");
        return agent;
    }

    public async Task<JsonDocument> StateAsync() => JsonDocument.Parse(await Http.GetStringAsync(new Uri(MasterUri, "master/state")));

    public async Task WaitForAgentsAsync(int count) =>
        await Poll.UntilAsync(async () =>
        {
            using var state = await StateAsync();
            return state.RootElement.GetProperty("slaves").GetArrayLength() >= count;
        }, $"{count} agents registered");

    /// <summary>Remembers the task processes an agent reports, so disposal can kill them if the test orphaned them.</summary>
    public async Task TrackTaskPidsAsync(int agentIndex)
    {
        using var state = JsonDocument.Parse(await Http.GetStringAsync($"http://127.0.0.1:{AgentPorts[agentIndex]}/state"));
        foreach (var framework in state.RootElement.GetProperty("frameworks").EnumerateArray())
        {
            foreach (var executor in framework.GetProperty("executors").EnumerateArray())
            {
                if (executor.TryGetProperty("pid", out var pid))
                {
                    _taskPids.Add(pid.GetInt32());
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Master.DisposeAsync();
        foreach (var pid in _taskPids)
        {
            // Task processes lead their own process group.
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
            }
        }

        Http.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>True when nothing listens on the port.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
