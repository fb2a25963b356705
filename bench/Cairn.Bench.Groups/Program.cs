using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

// Starts real brokers (artifacts/cairn) and drives them with librdkafka through groups_bench.py:
// first-rebalance time of 10 consumers (initial delay 0, and Kafka's default 3000 ms as the reference),
// synchronous OffsetCommit throughput next to OffsetFetch, and produce throughput with idempotence off and on.
var repo = args.Length > 0 ? args[0] : FindRepository();
var cairn = Path.Combine(repo, "artifacts", "cairn", "cairn.dll");
var script = Path.Combine(AppContext.BaseDirectory, "groups_bench.py");
Console.WriteLine($"# {DateTime.UtcNow:u} {Environment.ProcessorCount} cpus, load average {File.ReadAllText("/proc/loadavg").Trim()}");

foreach (var delay in new[] { "0", "3000" })
{
    await using var broker = await Broker.StartAsync(cairn, ["--group.initial.rebalance.delay.ms", delay, "--offsets.topic.num.partitions", "4"]);
    for (var run = 0; run < 3; run++)
    {
        Console.WriteLine($"initial.delay={delay} " + await RunAsync(script, broker.Bootstrap, "join"));
    }
}

await using (var broker = await Broker.StartAsync(cairn, ["--offsets.topic.num.partitions", "4", "--num.partitions", "4"]))
{
    Console.WriteLine(await RunAsync(script, broker.Bootstrap, "commit"));
    Console.WriteLine(await RunAsync(script, broker.Bootstrap, "produce"));
}

Console.WriteLine($"# done, load average {File.ReadAllText("/proc/loadavg").Trim()}");

static async Task<string> RunAsync(string script, string bootstrap, string mode)
{
    var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(script);
    info.ArgumentList.Add(bootstrap);
    info.ArgumentList.Add(mode);
    using var process = Process.Start(info)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    return output.Trim();
}

static string FindRepository()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository or pass its path");
}

/// <summary>A broker process on a free port with its own data directory.</summary>
internal sealed class Broker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;

    private Broker(Process process, string data, int port)
    {
        _process = process;
        _data = data;
        Bootstrap = $"127.0.0.1:{port}";
    }

    public string Bootstrap { get; }

    public static async Task<Broker> StartAsync(string cairn, string[] flags)
    {
        var data = Directory.CreateTempSubdirectory("cairn-bench-groups-").FullName;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[cairn, "kafka", "broker", "--standalone", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data, .. flags])
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("listening on", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new Broker(process, data, port);
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
