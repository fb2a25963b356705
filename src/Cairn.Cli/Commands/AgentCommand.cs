using System.CommandLine;
using Cairn.Agent;
using Cairn.Api.Conversions;
using Cairn.Common;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli;

/// <summary><c>cairn agent</c>: runs an agent with Mesos-style flags.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var master = new Option<string>("--master") { Description = "The master, host:port.", Required = true };
        var workDir = new Option<string>("--work_dir") { Description = "Sandboxes and checkpoints; reuse it to re-adopt running tasks after a restart.", DefaultValueFactory = _ => Path.Combine(".cairn", "agent") };
        var ip = new Option<string>("--ip") { Description = "IP address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free port).", DefaultValueFactory = _ => 5051 };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname to report to the master (default: the IP)." };
        var resources = new Option<string?>("--resources") { Description = "Resources in Mesos syntax, e.g. 'cpus:4;mem:8192;disk:20000;ports:[31000-32000]'. Missing cpus/mem/disk/ports come from this machine." };
        var attributes = new Option<string?>("--attributes") { Description = "Attributes, e.g. 'rack:r1;zone:a'." };
        var cgroups = new Option<bool>("--cgroups") { Description = "Enforce task cpu shares and memory limits with cgroups v1 (under a 'cairn' cgroup)." };
        var command = new Command("agent", "Run a Cairn agent: runs tasks as processes in sandboxes for the master.")
        {
            master, workDir, ip, port, hostname, resources, attributes, cgroups,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(workDir)!;
            if (!MachineResources.TryResolve(parse.GetValue(resources), dir, out var total, out var error))
            {
                Console.Error.WriteLine($"cairn agent: --resources: {error}");
                return 2;
            }

            var attributeSet = Attributes.Empty;
            if (parse.GetValue(attributes) is { Length: > 0 } text && !Attributes.TryParse(text, out attributeSet, out error))
            {
                Console.Error.WriteLine($"cairn agent: --attributes: {error}");
                return 2;
            }

            var attributeList = new List<Mesos.V1.Attribute>();
            foreach (var attribute in attributeSet)
            {
                attributeList.Add(attribute.ToProto());
            }

            var options = new AgentOptions
            {
                Master = parse.GetValue(master)!,
                WorkDir = dir,
                Ip = parse.GetValue(ip)!,
                Port = parse.GetValue(port),
                Hostname = parse.GetValue(hostname),
                Resources = total.ToProto(),
                Attributes = attributeList,
                Cgroups = parse.GetValue(cgroups),
            };
            return Run(options);
        });
        return command;
    }

    private static int Run(AgentOptions options)
    {
        using var signals = new ShutdownSignals();
        using var logging = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            }));
        AgentHost host;
        try
        {
            host = AgentHost.StartAsync(options, logging, Console.WriteLine, signals.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cairn agent: {e.Message}");
            return 1;
        }

        Console.WriteLine($"cairn agent: listening on {host.Url}");
        signals.Wait(host.Refused);
        var exitCode = 0;
        if (host.Refused.IsCompleted)
        {
            Console.Error.WriteLine($"cairn agent: the master refused this agent: {host.Refused.Result}");
            exitCode = 1;
        }

        Console.WriteLine("cairn agent: stopping (killing tasks)");
        host.StopAsync().GetAwaiter().GetResult();
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine("cairn agent: stopped");
        return exitCode;
    }
}
