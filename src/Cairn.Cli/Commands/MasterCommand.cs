using System.CommandLine;
using System.Runtime.InteropServices;
using Cairn.Master.Hosting;
using Cairn.Master.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Cairn.Cli;

/// <summary><c>cairn master</c>: runs the master daemon with Mesos-style flags.</summary>
internal static class MasterCommand
{
    public static Command Create()
    {
        var workDir = new Option<string?>("--work_dir") { Description = "Directory for the registry (agent and framework ids). Without it the registry is kept in memory." };
        var ip = new Option<string>("--ip") { Description = "IP address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free port).", DefaultValueFactory = _ => 5050 };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname to advertise (default: the IP)." };
        var allocationInterval = new Option<string>("--allocation_interval") { Description = "Time between allocation cycles (Mesos duration, e.g. 1secs, 500ms).", DefaultValueFactory = _ => "1secs" };
        var offerTimeout = new Option<string?>("--offer_timeout") { Description = "Rescind offers not answered within this duration (default: never)." };
        var agentPingTimeout = new Option<string>("--agent_ping_timeout") { Description = "Interval of agent pings and time allowed for each answer.", DefaultValueFactory = _ => "15secs" };
        var maxAgentPingTimeouts = new Option<int>("--max_agent_ping_timeouts") { Description = "Missed pings after which an agent is unreachable.", DefaultValueFactory = _ => 5 };
        var weights = new Option<string?>("--weights") { Description = "Role weights: role=weight,role=weight." };
        var roles = new Option<string?>("--roles") { Description = "Comma-separated list of allowed roles (default: any)." };
        var command = new Command("master", "Run a Cairn master (the Mesos v1 scheduler API on --ip:--port).")
        {
            workDir, ip, port, hostname, allocationInterval, offerTimeout, agentPingTimeout, maxAgentPingTimeouts, weights, roles,
        };

        command.SetAction(parse =>
        {
            var options = new MasterOptions
            {
                WorkDir = parse.GetValue(workDir),
                Ip = parse.GetValue(ip)!,
                Port = parse.GetValue(port),
                Hostname = parse.GetValue(hostname),
                MaxAgentPingTimeouts = parse.GetValue(maxAgentPingTimeouts),
            };
            if (!Duration(parse.GetValue(allocationInterval), "--allocation_interval", out var interval)
                || !Duration(parse.GetValue(agentPingTimeout), "--agent_ping_timeout", out var ping))
            {
                return 1;
            }

            options.AllocationInterval = interval;
            options.AgentPingTimeout = ping;
            if (parse.GetValue(offerTimeout) is { } offerTimeoutText)
            {
                if (!Duration(offerTimeoutText, "--offer_timeout", out var offer))
                {
                    return 1;
                }

                options.OfferTimeout = offer;
            }

            if (parse.GetValue(weights) is { } weightsText && !MasterOptions.TryParseWeights(weightsText, options.Weights, out var weightError))
            {
                Console.Error.WriteLine($"cairn master: {weightError}");
                return 1;
            }

            if (parse.GetValue(roles) is { } rolesText)
            {
                foreach (var role in rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    options.Roles.Add(role);
                }
            }

            if (!System.Net.IPAddress.TryParse(options.Ip, out _))
            {
                Console.Error.WriteLine($"cairn master: --ip '{options.Ip}' is not an IP address");
                return 1;
            }

            return Run(options);
        });
        return command;
    }

    private static bool Duration(string? text, string flag, out TimeSpan value)
    {
        if (MesosDuration.TryParse(text, out value))
        {
            return true;
        }

        Console.Error.WriteLine($"cairn master: {flag} '{text}' is not a duration (e.g. 1secs, 500ms, 15mins)");
        return false;
    }

    /// <summary>Runs synchronously until SIGTERM/SIGINT: System.CommandLine gives async actions only
    /// a short grace period after SIGTERM, too short to close streams cleanly.</summary>
    private static int Run(MasterOptions options)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        using var stop = new ManualResetEventSlim();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        MasterHost host;
        try
        {
            host = MasterHost.StartAsync(options, loggerFactory).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"cairn master: cannot listen on {options.Ip}:{options.Port}: {e.Message}");
            return 1;
        }

        Console.WriteLine($"cairn master: listening on {host.Address.ToString().TrimEnd('/')} (id {host.MasterId})");
        stop.Wait();
        Console.WriteLine("cairn master: stopping");
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine("cairn master: stopped");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
    }
}
