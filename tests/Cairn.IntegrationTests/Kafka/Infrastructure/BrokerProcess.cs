using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Kafka.Infrastructure;

/// <summary>
/// A real standalone broker: <c>cairn kafka broker --standalone --port P --data D</c>, on a port and
/// data directory of its own. The broker announces itself with a line containing
/// <c>listening on PLAINTEXT://127.0.0.1:P</c>.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private BrokerProcess(CairnProcess process, int port, string dataDir, bool ownsDataDir)
    {
        Process = process;
        Port = port;
        DataDir = dataDir;
        OwnsDataDir = ownsDataDir;
    }

    public CairnProcess Process { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, for clients' bootstrap lists.</summary>
    public string BootstrapServers => $"127.0.0.1:{Port}";

    public string DataDir { get; }

    private bool OwnsDataDir { get; }

    /// <summary>Starts a broker and waits until it listens. Extra flags are appended (e.g. --num.partitions 4).</summary>
    public static async Task<BrokerProcess> StartAsync(IEnumerable<string>? extraArgs = null, string? dataDir = null, int? port = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("cairn-kafka-it-").FullName;
        var chosenPort = port ?? FreePort.Next();
        var args = new List<string> { "kafka", "broker", "--standalone", "--port", chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dataDir };
        if (extraArgs is not null)
        {
            args.AddRange(extraArgs);
        }

        var process = CairnProcess.Start($"broker:{chosenPort}", args);
        var broker = new BrokerProcess(process, chosenPort, dataDir, ownsDataDir);
        try
        {
            await process.WaitForLineAsync(l => l.Contains($"listening on PLAINTEXT://127.0.0.1:{chosenPort}", StringComparison.Ordinal), "the broker to listen");
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>Restarts on the same port and data directory (after a crash or a stop).</summary>
    public Task<BrokerProcess> RestartAsync(IEnumerable<string>? extraArgs = null) => StartAsync(extraArgs, DataDir, Port);

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (OwnsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // a restarted broker may still hold files; the temp dir is cleaned by the OS
            }
        }
    }
}
