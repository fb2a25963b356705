using System.Diagnostics;
using System.Globalization;
using Cairn.Bench.ClusterSim;
using Cairn.Common;
using Cairn.Master.Hosting;
using Cairn.Master.Options;
using Microsoft.Extensions.Logging.Abstractions;

// Usage:
//   Cairn.Bench.ClusterSim [--agents 5000] [--tasks 100000] [--frameworks 10] [--allocation-interval 1]
//   Cairn.Bench.ClusterSim master [--allocation-interval 1]     (internal: the master child process)
// The master runs as a child process (the real MasterHost: Kestrel, actor loop, allocator; in-memory registry)
// so that its resident memory can be read from /proc without the simulator's own objects.
var options = ParseOptions(args);
if (args.Length > 0 && args[0] == "master")
{
    await RunMasterAsync(options);
    return 0;
}

return await RunSimulationAsync(options);

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["agents"] = "5000",
        ["tasks"] = "100000",
        ["frameworks"] = "10",
        ["allocation-interval"] = "1",
        ["agent-resources"] = "cpus:4;mem:8192;disk:10000;ports:[31000-32000]",
        ["task-resources"] = "cpus:0.1;mem:32",
        ["timeout-minutes"] = "40",
        ["call-connections"] = "64",
    };
    for (var i = 0; i + 1 < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            options[args[i][2..]] = args[++i];
        }
    }

    return options;
}

static async Task RunMasterAsync(Dictionary<string, string> options)
{
    var masterOptions = new MasterOptions
    {
        Port = 0,
        AllocationInterval = TimeSpan.FromSeconds(double.Parse(options["allocation-interval"], CultureInfo.InvariantCulture)),
    };
    await using var host = await MasterHost.StartAsync(masterOptions, NullLoggerFactory.Instance);
    Console.WriteLine($"MASTER {host.Address}");
    // The parent closes stdin (or dies) to stop the master.
    while (await Console.In.ReadLineAsync() is not null)
    {
    }
}

static async Task<int> RunSimulationAsync(Dictionary<string, string> options)
{
    var agents = int.Parse(options["agents"], CultureInfo.InvariantCulture);
    var tasks = int.Parse(options["tasks"], CultureInfo.InvariantCulture);
    var frameworks = int.Parse(options["frameworks"], CultureInfo.InvariantCulture);
    var agentResources = Resources.Parse(options["agent-resources"]);
    var taskResources = Resources.Parse(options["task-resources"]);
    var timeout = TimeSpan.FromMinutes(double.Parse(options["timeout-minutes"], CultureInfo.InvariantCulture));
    Console.WriteLine($"# {DateTime.UtcNow:u}  {Environment.ProcessorCount} cores  load {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"# agents {agents} ({agentResources}), frameworks {frameworks}, tasks {tasks} ({taskResources}), allocation interval {options["allocation-interval"]} s");

    var start = new ProcessStartInfo(Environment.ProcessPath!)
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    start.ArgumentList.Add(typeof(SimCounters).Assembly.Location);
    start.ArgumentList.Add("master");
    start.ArgumentList.Add("--allocation-interval");
    start.ArgumentList.Add(options["allocation-interval"]);
    using var master = Process.Start(start)!;
    using var cts = new CancellationTokenSource(timeout);
    try
    {
        var url = await ReadMasterUrlAsync(master, cts.Token);
        _ = DrainAsync(master.StandardOutput);
        var rssIdle = ResidentKb(master.Id);
        Console.WriteLine($"master pid {master.Id} at {url}, RSS idle {rssIdle / 1024.0:F1} MiB");

        // Long-lived event streams get a connection each; calls share a bounded pool, as real agents and schedulers
        // on separate machines would not open thousands of parallel connections to one master.
        using var streams = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, ConnectTimeout = TimeSpan.FromSeconds(60) })
        { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        using var calls = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.Parse(options["call-connections"], CultureInfo.InvariantCulture),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(60),
        })
        { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };

        var counters = new SimCounters();
        var clock = Stopwatch.StartNew();
        var simulated = new List<SimulatedAgent>(agents);
        var running = new List<Task>(agents + frameworks);
        for (var i = 0; i < agents; i++)
        {
            var agent = new SimulatedAgent(streams, calls, i, agentResources, counters);
            simulated.Add(agent);
            running.Add(agent.RunAsync(cts.Token));
            if (i % 100 == 99)
            {
                // Register in waves so connection setup does not time out on a loaded machine.
                await Task.WhenAll(simulated.GetRange(i - 99, 100).ConvertAll(a => a.Registered.Task)).WaitAsync(cts.Token);
            }
        }

        await Task.WhenAll(simulated.ConvertAll(a => a.Registered.Task)).WaitAsync(cts.Token);
        var registration = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token); // let the master settle before reading its memory
        var rssAgents = ResidentKb(master.Id);
        Console.WriteLine($"registered {agents} agents in {registration.TotalSeconds:F1} s; master RSS {rssAgents / 1024.0:F1} MiB, {(rssAgents - rssIdle) / (double)agents:F1} KiB per agent");

        var perFramework = tasks / frameworks;
        var sims = new List<SimulatedFramework>(frameworks);
        clock.Restart();
        for (var f = 0; f < frameworks; f++)
        {
            var framework = new SimulatedFramework(streams, calls, $"sim{f}", f == frameworks - 1 ? tasks - (perFramework * (frameworks - 1)) : perFramework, taskResources, counters);
            sims.Add(framework);
            running.Add(framework.RunAsync(cts.Token));
        }

        var allDone = Task.WhenAll(sims.ConvertAll(s => s.Done));
        TimeSpan? allRunning = null;
        var nextReport = TimeSpan.Zero;
        while (!allDone.IsCompleted)
        {
            await Task.WhenAny(allDone, Task.Delay(100, cts.Token));
            if (allRunning is null && Interlocked.Read(ref counters.Running) >= tasks)
            {
                allRunning = clock.Elapsed;
            }

            if (clock.Elapsed >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(10);
                Console.WriteLine($"  t={clock.Elapsed.TotalSeconds,6:F1}s offers {counters.Offers} launched {counters.Launched} running {counters.Running} finished {counters.Finished} errors agent/scheduler {counters.AgentCallErrors}/{counters.SchedulerCallErrors} other {counters.OtherTerminal}");
            }
        }

        var total = clock.Elapsed;
        allRunning ??= total;
        var rssEnd = ResidentKb(master.Id);
        Console.WriteLine($"all {tasks} tasks RUNNING after {allRunning.Value.TotalSeconds:F1} s = {tasks / allRunning.Value.TotalSeconds:F0} placements/s; all FINISHED after {total.TotalSeconds:F1} s = {tasks / total.TotalSeconds:F0} tasks/s end to end");
        Console.WriteLine($"offers {counters.Offers}, agent call errors {counters.AgentCallErrors}, scheduler call errors {counters.SchedulerCallErrors}, other terminal states {counters.OtherTerminal}; master RSS at end {rssEnd / 1024.0:F1} MiB");
        return 0;
    }
    finally
    {
        cts.Cancel();
        try
        {
            master.StandardInput.Close();
            if (!master.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                master.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}

static async Task<Uri> ReadMasterUrlAsync(Process master, CancellationToken cancellationToken)
{
    while (await master.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
    {
        if (line.StartsWith("MASTER ", StringComparison.Ordinal))
        {
            return new Uri(line["MASTER ".Length..]);
        }
    }

    throw new InvalidOperationException("The master process exited before printing its address.");
}

static async Task DrainAsync(StreamReader output)
{
    while (await output.ReadLineAsync() is not null)
    {
    }
}

static long ResidentKb(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
    }

    return 0;
}
