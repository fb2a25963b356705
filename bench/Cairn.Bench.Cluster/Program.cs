using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cairn.Scheduler;
using Mesos.V1;
using Mesos.V1.Scheduler;
using Task = System.Threading.Tasks.Task;

// Starts a real master and one real agent (cairn processes), then launches N `true` tasks through the
// scheduler API and measures, per task, the time from sending ACCEPT to receiving TASK_FINISHED.
// Reference in the same run: fork+exec+wait of `true` from this process, the floor for any agent.
//   dotnet run -c Release --project bench/Cairn.Bench.Cluster -- [--tasks 1000] [--cairn artifacts/cairn/cairn.dll]
var tasks = 1000;
var cairn = Path.GetFullPath("artifacts/cairn/cairn.dll");
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--tasks")
    {
        tasks = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--cairn")
    {
        cairn = Path.GetFullPath(args[i + 1]);
    }
}

var root = Directory.CreateTempSubdirectory("cairn-bench-cluster-").FullName;
var masterPort = FreePort();
var agentPort = FreePort();
var processes = new List<Process>();
try
{
    processes.Add(Start(cairn, "master", "--port", Str(masterPort), "--work_dir", Path.Combine(root, "master")));
    processes.Add(Start(cairn, "agent", "--master", $"127.0.0.1:{masterPort}", "--port", Str(agentPort), "--work_dir", Path.Combine(root, "agent"),
        "--resources", "cpus:8;mem:8192;disk:8192;ports:[31000-32000]"));

    var reference = MeasureForkExec(Math.Min(tasks, 1000));
    var (latencies, wall) = await MeasureClusterAsync($"127.0.0.1:{masterPort}", tasks);
    Console.WriteLine($"machine: {System.Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
    Report($"cairn ACCEPT -> TASK_FINISHED ({tasks} `true` tasks, one agent)", latencies);
    Console.WriteLine($"  wall time {wall.TotalSeconds:0.0} s, {tasks / wall.TotalSeconds:0.0} tasks/s");
    Report($"reference: fork+exec+wait of `true` ({reference.Count} runs, sequential)", reference);
}
finally
{
    foreach (var process in Enumerable.Reverse(processes))
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    Directory.Delete(root, recursive: true);
}

static async Task<(List<double> Latencies, TimeSpan Wall)> MeasureClusterAsync(string master, int count)
{
    var framework = new FrameworkInfo
    {
        User = "root",
        Name = "bench-latency",
        Roles = { "*" },
        Capabilities = { new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.MultiRole } },
    };
    await using var client = new SchedulerClient(new SchedulerClientOptions { Masters = [master], Framework = framework });
    await client.StartAsync(CancellationToken.None);
    var sent = new Dictionary<string, long>();
    var latencies = new List<double>(count);
    var launched = 0;
    var wall = Stopwatch.StartNew();
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
    await foreach (var ev in client.ReadEventsAsync(timeout.Token))
    {
        if (ev.Type == Event.Types.Type.Offers)
        {
            foreach (var offer in ev.Offers.Offers_)
            {
                var cpus = 0.0;
                var mem = 0.0;
                foreach (var r in offer.Resources)
                {
                    cpus += r.Name == "cpus" ? r.Scalar.Value : 0;
                    mem += r.Name == "mem" ? r.Scalar.Value : 0;
                }

                var fit = (int)Math.Min(Math.Floor((cpus / 0.1) + 1e-6), Math.Floor(mem / 16));
                var batch = new List<TaskInfo>();
                for (var i = 0; i < Math.Min(fit, count - launched); i++)
                {
                    var id = $"true-{launched + i}";
                    var task = new TaskInfo { Name = id, TaskId = new TaskID { Value = id }, AgentId = offer.AgentId, Command = new CommandInfo { Shell = false, Value = "/bin/true", Arguments = { "true" } } };
                    task.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.1 }, AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" } });
                    task.Resources.Add(new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 16 }, AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" } });
                    batch.Add(task);
                }

                launched += batch.Count;
                var now = Stopwatch.GetTimestamp();
                foreach (var task in batch)
                {
                    sent[task.TaskId.Value] = now;
                }

                if (batch.Count == 0)
                {
                    _ = await client.DeclineAsync([offer.Id], new Filters { RefuseSeconds = 0.1 }, CancellationToken.None);
                }
                else
                {
                    _ = await client.LaunchAsync(offer, batch, new Filters { RefuseSeconds = 0.01 }, CancellationToken.None);
                }
            }
        }
        else if (ev.Type == Event.Types.Type.Update)
        {
            var status = ev.Update.Status;
            _ = await client.AcknowledgeAsync(status, CancellationToken.None);
            if (status.State == TaskState.TaskFinished && sent.Remove(status.TaskId.Value, out var start))
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (latencies.Count == count)
                {
                    break;
                }
            }
            else if (status.State is TaskState.TaskFailed or TaskState.TaskLost or TaskState.TaskError or TaskState.TaskDropped)
            {
                throw new InvalidOperationException($"task {status.TaskId.Value}: {status.State} {status.Message}");
            }
        }
    }

    wall.Stop();
    _ = await client.TeardownAsync(CancellationToken.None);
    return (latencies, wall.Elapsed);
}

static List<double> MeasureForkExec(int count)
{
    var list = new List<double>(count);
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        process.WaitForExit();
        list.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    return list;
}

static void Report(string name, List<double> values)
{
    values.Sort();
    double P(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine($"{name}: p50 {P(0.50):0.0} ms, p90 {P(0.90):0.0} ms, p99 {P(0.99):0.0} ms, max {values[^1]:0.0} ms");
}

static Process Start(string cairn, params string[] args)
{
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(cairn);
    foreach (var arg in args)
    {
        info.ArgumentList.Add(arg);
    }

    var process = Process.Start(info)!;
    var ready = new TaskCompletionSource();
    process.OutputDataReceived += (_, e) =>
    {
        if (e.Data is { } line && (line.Contains("listening", StringComparison.Ordinal) || line.Contains("registered", StringComparison.Ordinal)) && (args[0] == "master" || line.Contains("registered", StringComparison.Ordinal)))
        {
            ready.TrySetResult();
        }
    };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    if (!ready.Task.Wait(TimeSpan.FromMinutes(2)))
    {
        throw new TimeoutException($"cairn {args[0]} did not start");
    }

    return process;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
