using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn up</c>: a local cluster on loopback — one master and N agents as separate child processes of this
/// executable, each with its own work dir under ./.cairn/, attributes rack:r1…rN, and this machine's resources
/// split between the agents (disjoint port ranges). SIGINT or SIGTERM stops the agents (which kill their tasks)
/// and then the master.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var agents = new Option<int>("--agents") { Description = "Number of agents.", DefaultValueFactory = _ => 3 };
        var masterPort = new Option<int>("--master-port") { Description = "Master port; agents use the next ports.", DefaultValueFactory = _ => 5050 };
        var workDir = new Option<string>("--work-dir") { Description = "Where the master's and agents' work dirs go.", DefaultValueFactory = _ => ".cairn" };
        var resources = new Option<string?>("--resources") { Description = "Resources of every agent (default: this machine split between them)." };
        var command = new Command("up", "Start a local cluster: a master and agents as child processes; Ctrl-C stops it.")
        {
            agents, masterPort, workDir, resources,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(agents);
            if (count is < 1 or > 64)
            {
                Console.Error.WriteLine("cairn up: --agents must be between 1 and 64");
                return 2;
            }

            return Run(count, parse.GetValue(masterPort), Path.GetFullPath(parse.GetValue(workDir)!), parse.GetValue(resources));
        });
        return command;
    }

    private sealed record Child(string Name, Process Process, string Url, string WorkDir, string Detail);

    private static int Run(int agentCount, int masterPort, string workDir, string? resources)
    {
        using var signals = new ShutdownSignals();
        var children = new List<Child>();
        var master = $"127.0.0.1:{masterPort}";
        try
        {
            var masterDir = Path.Combine(workDir, "master");
            children.Add(Start("master", ["master", "--ip", "127.0.0.1", "--port", Str(masterPort), "--work_dir", masterDir], $"http://{master}", masterDir, ""));
            for (var i = 1; i <= agentCount; i++)
            {
                var dir = Path.Combine(workDir, $"agent-{i}");
                var port = masterPort + i;
                var share = resources ?? MachineResources.ShareOf(i - 1, agentCount, workDir);
                children.Add(Start(
                    $"agent-{i}",
                    ["agent", "--master", master, "--ip", "127.0.0.1", "--port", Str(port), "--work_dir", dir, "--attributes", $"rack:r{i}", "--resources", share],
                    $"http://127.0.0.1:{port}",
                    dir,
                    $"rack:r{i}  {share}"));
            }

            if (!WaitUntilReady(master, agentCount, children, signals.Token))
            {
                return signals.Token.IsCancellationRequested ? 0 : 1;
            }

            var table = new Table().AddColumns("PROCESS", "PID", "URL", "WORK DIR", "ATTRIBUTES / RESOURCES");
            foreach (var child in children)
            {
                table.AddRow(child.Name, Str(child.Process.Id), child.Url, Markup.Escape(child.WorkDir), Markup.Escape(child.Detail));
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"cairn up: cluster ready: master http://{master}, {agentCount} agents. Try: cairn run -- echo hello; Ctrl-C stops everything.");
            var anyExit = Task.WhenAny(children.Select(c => c.Process.WaitForExitAsync()));
            signals.Wait(anyExit);
            if (!signals.Token.IsCancellationRequested)
            {
                Console.Error.WriteLine("cairn up: a cluster process exited on its own; stopping the rest");
            }

            return 0;
        }
        finally
        {
            Stop(children);
        }
    }

    private static bool WaitUntilReady(string master, int agentCount, List<Child> children, CancellationToken cancellationToken)
    {
        using var http = new ClusterHttp();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            foreach (var child in children)
            {
                if (child.Process.HasExited)
                {
                    Console.Error.WriteLine($"cairn up: {child.Name} exited with {child.Process.ExitCode} while starting");
                    return false;
                }
            }

            try
            {
                using var state = http.MasterStateAsync(master, cancellationToken).GetAwaiter().GetResult();
                var registered = state.RootElement.TryGetProperty("slaves", out var slaves) ? slaves.GetArrayLength() : 0;
                if (registered >= agentCount)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // not up yet
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250)))
            {
                return false;
            }
        }

        Console.Error.WriteLine("cairn up: the agents did not all register within 2 minutes");
        return false;
    }

    private static Child Start(string name, string[] args, string url, string workDir, string detail)
    {
        Directory.CreateDirectory(workDir);
        var (file, prefix) = Self();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in prefix)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var label = $"[{name}] ";
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.WriteLine(label + e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine(label + e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(name, process, url, workDir, detail);
    }

    // This executable: the apphost itself, or "dotnet cairn.dll".
    private static (string File, string[] Prefix) Self()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? (path, [typeof(UpCommand).Assembly.Location]) : (path, []);
    }

    // Agents first (each kills its tasks), then the master; SIGKILL for anything that does not stop.
    private static void Stop(List<Child> children)
    {
        Console.WriteLine("cairn up: stopping");
        var agents = children.Where(c => c.Name != "master").ToList();
        StopAll(agents, TimeSpan.FromSeconds(60));
        StopAll(children.Where(c => c.Name == "master").ToList(), TimeSpan.FromSeconds(30));
        Console.WriteLine("cairn up: stopped");
    }

    private static void StopAll(List<Child> group, TimeSpan grace)
    {
        foreach (var child in group)
        {
            if (!child.Process.HasExited)
            {
                Cairn.Agent.Containerizer.ProcessContainerizer.Signal(child.Process.Id, 15);
            }
        }

        foreach (var child in group)
        {
            if (!child.Process.WaitForExit(grace))
            {
                Console.Error.WriteLine($"cairn up: {child.Name} did not stop within {grace.TotalSeconds:0} s: SIGKILL");
                child.Process.Kill(entireProcessTree: true);
                child.Process.WaitForExit();
            }

            child.Process.WaitForExit();
            child.Process.Dispose();
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
