using Cairn.Kafka.Broker;
using Cairn.Kafka.Broker.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Kafka.Broker.Tests.Infrastructure;

/// <summary>An in-process broker on 127.0.0.1:0 with its own temp data directory.</summary>
public sealed class TestBroker : IAsyncDisposable
{
    private TestBroker(KafkaBrokerHost host, string dataDir)
    {
        Host = host;
        DataDir = dataDir;
    }

    public KafkaBrokerHost Host { get; private set; }

    public string DataDir { get; }

    public int Port => Host.Port;

    public static async Task<TestBroker> StartAsync(IReadOnlyDictionary<string, string>? properties = null, string? dataDir = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("cairn-broker-test-").FullName;
        var host = await KafkaBrokerHost.StartAsync(Config(dataDir, properties), NullLoggerFactory.Instance);
        return new TestBroker(host, dataDir);
    }

    public static BrokerConfig Config(string dataDir, IReadOnlyDictionary<string, string>? properties = null)
    {
        var all = new Dictionary<string, string> { ["log.dirs"] = dataDir, ["cairn.port"] = "0" };
        if (properties is not null)
        {
            foreach (var (k, v) in properties)
            {
                all[k] = v;
            }
        }

        return BrokerConfig.TryCreate(all, out var config, out var error) ? config : throw new InvalidOperationException(error);
    }

    /// <summary>Clean shutdown and start again on the same data directory (new port).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string>? properties = null)
    {
        await Host.DisposeAsync();
        Host = await KafkaBrokerHost.StartAsync(Config(DataDir, properties), NullLoggerFactory.Instance);
    }

    public Task<KafkaTestClient> ConnectAsync() => KafkaTestClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
