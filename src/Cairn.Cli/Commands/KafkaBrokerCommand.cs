using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Kafka.Broker;
using Cairn.Kafka.Broker.Configuration;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn kafka broker --standalone --port 9092 --data ./data [--config server.properties]
/// [--node-id 0] [--host 127.0.0.1] [--advertised-host H] [--&lt;kafka.property&gt; value]…</c>
/// </summary>
internal static class KafkaBrokerCommand
{
    public static Command Create()
    {
        var standalone = new Option<bool>("--standalone") { Description = "Run with an embedded controller (no Kafka framework needed)." };
        var port = new Option<int?>("--port") { Description = "Listener port (default: from listeners, else 9092; 0 = any free port)." };
        var data = new Option<string?>("--data") { Description = "Data directory (Kafka's log.dirs)." };
        var config = new Option<string?>("--config") { Description = "A Kafka server.properties file; flags override it." };
        var nodeId = new Option<int?>("--node-id") { Description = "node.id (default 0)." };
        var host = new Option<string?>("--host") { Description = "Listen address (default 127.0.0.1)." };
        var advertisedHost = new Option<string?>("--advertised-host") { Description = "Host name clients are given in Metadata (default: the listen address)." };
        var advertisedPort = new Option<int?>("--advertised-port") { Description = "Port clients are given in Metadata (default: the bound port)." };
        var command = new Command("broker", "Run a Kafka-wire-compatible broker. Any Kafka broker property can be given as --<name> <value>, e.g. --num.partitions 4.")
        {
            standalone, port, data, config, nodeId, host, advertisedHost, advertisedPort,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parse.GetValue(config) is { } file)
            {
                if (!File.Exists(file))
                {
                    Console.Error.WriteLine($"cairn kafka broker: config file {file} does not exist");
                    return 2;
                }

                foreach (var (k, v) in PropertiesFile.Parse(File.ReadAllText(file)))
                {
                    properties[k] = v;
                }
            }

            if (!TryAddPropertyFlags(parse.UnmatchedTokens, properties, out var flagError))
            {
                Console.Error.WriteLine($"cairn kafka broker: {flagError}");
                return 2;
            }

            if (parse.GetValue(port) is { } p)
            {
                properties["cairn.port"] = p.ToString(CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(data) is { } d)
            {
                properties["log.dirs"] = Path.GetFullPath(d);
            }

            if (parse.GetValue(nodeId) is { } n)
            {
                properties["node.id"] = n.ToString(CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(host) is { } h)
            {
                properties["cairn.host"] = h;
            }

            if (parse.GetValue(advertisedHost) is { } ah)
            {
                properties["cairn.advertised.host"] = ah;
            }

            if (parse.GetValue(advertisedPort) is { } ap)
            {
                properties["cairn.advertised.port"] = ap.ToString(CultureInfo.InvariantCulture);
            }

            if (!parse.GetValue(standalone))
            {
                Console.Error.WriteLine("cairn kafka broker: only --standalone is supported so far (the broker runs its own controller).");
                return 2;
            }

            if (!BrokerConfig.TryCreate(properties, out var brokerConfig, out var error))
            {
                Console.Error.WriteLine($"cairn kafka broker: {error}");
                return 2;
            }

            return Run(brokerConfig);
        });
        return command;
    }

    /// <summary>Reads <c>--name value</c> and <c>--name=value</c> pairs of Kafka properties.</summary>
    private static bool TryAddPropertyFlags(IReadOnlyList<string> tokens, Dictionary<string, string> properties, out string? error)
    {
        error = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                error = $"unexpected argument '{token}' (Kafka properties are given as --name value)";
                return false;
            }

            var name = token[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                properties[name[..eq]] = name[(eq + 1)..];
                continue;
            }

            if (i + 1 >= tokens.Count)
            {
                error = $"--{name} needs a value";
                return false;
            }

            properties[name] = tokens[++i];
        }

        return true;
    }

    private static int Run(BrokerConfig config)
    {
        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information));
        using var stop = new ManualResetEventSlim();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        KafkaBrokerHost broker;
        try
        {
            broker = KafkaBrokerHost.StartAsync(config, loggerFactory).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cairn kafka broker: cannot start: {e.Message}");
            return 1;
        }

        Console.WriteLine(
            $"cairn kafka broker: node {config.NodeId} listening on PLAINTEXT://{broker.ListenHost}:{broker.Port} " +
            $"(advertised {broker.AdvertisedHost}:{broker.AdvertisedPort}), data {config.DataDir}");
        foreach (var warning in config.Warnings)
        {
            Console.Error.WriteLine($"cairn kafka broker: warning: {warning}");
        }

        stop.Wait();
        Console.WriteLine("cairn kafka broker: stopping");
        broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine("cairn kafka broker: stopped (clean shutdown)");
        return 0;
    }
}
