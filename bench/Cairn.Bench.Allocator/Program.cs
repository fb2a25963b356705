using System.Diagnostics;
using System.Globalization;
using Cairn.Allocator;
using Cairn.Bench.Allocator;
using Cairn.Common;

// One allocation cycle, in-process, on a fixed clock (nothing expires), at the sizes Mesos' allocator benchmarks use.
// Agent shape as in HierarchicalAllocator_BENCHMARK_Test: cpus:24;mem:4096;disk:4096;ports:[31000-32000].
// "offer all": every agent is free and every framework wants offers (one role, no filters: the Mesos 1.7 blog setup);
//   each cycle offers every agent, then the offers are recovered (untimed) for the next cycle.
// "all declined": every framework has declined every agent with a long filter, so a cycle checks every
//   (agent, framework) pair and offers nothing (Mesos' DeclineOffers benchmark steady state).
var sizes = args.Length > 0 && args[0] == "--quick"
    ? new[] { (1_000, 100, 20) }
    : new[] { (1_000, 100, 50), (10_000, 100, 30), (50_000, 100, 10), (20_000, 2_000, 5) };

// Reaching the all-declined state takes agents × frameworks offers and declines; only sizes up to 100k pairs run it on this shared machine.
const long MaxDeclineSetup = 100_000;

var agentResources = Resources.Parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
Console.WriteLine($"# {DateTime.UtcNow:u}  {Environment.ProcessorCount} cores  load {File.ReadAllText("/proc/loadavg").Trim()}  .NET {Environment.Version}");
Console.WriteLine("| agents × frameworks | scenario | implementation | cycles | median ms | p99 ms | median CPU ms | offers/cycle |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var (agents, frameworks, cycles) in sizes)
{
    RunHierarchical(agents, frameworks, cycles, declined: false);
    if ((long)agents * frameworks <= MaxDeclineSetup)
    {
        RunHierarchical(agents, frameworks, cycles, declined: true);
    }

    RunNaive(agents, frameworks, frameworks >= 1_000 ? 2 : Math.Max(3, cycles / 5));
}

void RunHierarchical(int agents, int frameworks, int cycles, bool declined)
{
    var clock = new FixedClock();
    var allocator = new HierarchicalAllocator(clock, new Random(42));
    for (var f = 0; f < frameworks; f++)
    {
        allocator.AddFramework($"fw-{f:D5}", FrameworkSpec.ForRoles("*"));
    }

    for (var a = 0; a < agents; a++)
    {
        allocator.AddAgent($"agent-{a}", new AgentSpec($"host-{a}", agentResources, Attributes.Empty));
    }

    if (declined)
    {
        // Decline until every framework has a filter on every agent.
        for (var round = 0; round < frameworks; round++)
        {
            foreach (var offer in allocator.Allocate())
            {
                allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, TimeSpan.FromDays(300));
            }
        }
    }

    var times = new List<double>();
    var cpu = new List<double>();
    var offers = 0;
    for (var cycle = 0; cycle < cycles + 3; cycle++)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = allocator.Allocate();
        sw.Stop();
        if (cycle >= 3)
        {
            times.Add(sw.Elapsed.TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        offers = result.Count;
        foreach (var offer in result)
        {
            allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, refuseFor: null);
        }
    }

    Report(agents, frameworks, declined ? "all declined" : "offer all", "Cairn HierarchicalAllocator", times, cpu, offers);
}

void RunNaive(int agents, int frameworks, int cycles)
{
    var naive = new NaiveDrfAllocator();
    for (var f = 0; f < frameworks; f++)
    {
        naive.AddFramework($"fw-{f:D5}");
    }

    for (var a = 0; a < agents; a++)
    {
        naive.AddAgent($"agent-{a}", agentResources);
    }

    var times = new List<double>();
    var cpu = new List<double>();
    var offers = 0;
    for (var cycle = 0; cycle < cycles + 1; cycle++)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = naive.Allocate();
        sw.Stop();
        if (cycle >= 1)
        {
            times.Add(sw.Elapsed.TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        offers = result.Count;
        foreach (var (framework, agent, resources) in result)
        {
            naive.Recover(framework, agent, resources);
        }
    }

    Report(agents, frameworks, "offer all", "naive re-sorting DRF (reference)", times, cpu, offers);
}

static void Report(int agents, int frameworks, string scenario, string implementation, List<double> times, List<double> cpu, int offers)
{
    times.Sort();
    cpu.Sort();
    var median = times[times.Count / 2];
    var p99 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.99) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {agents:N0} × {frameworks:N0} | {scenario} | {implementation} | {times.Count} | {median:F1} | {p99:F1} | {cpu[cpu.Count / 2]:F1} | {offers:N0} |"));
}

/// <summary>A clock that never moves: filters never expire during the run.</summary>
internal sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;
}
