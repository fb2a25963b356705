using System.Net;
using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Handlers;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Network;
using Cairn.Kafka.Broker.Partitions;
using Cairn.Kafka.Broker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker;

/// <summary>
/// A running broker: the embedded controller, the partition logs, the API table with its
/// extensions, and the listener. Disposing it is the clean shutdown (stop accepting, close
/// connections, flush and close every log with a clean-shutdown mark).
/// </summary>
public sealed partial class KafkaBrokerHost : IAsyncDisposable
{
    private readonly FileStream _lock;
    private readonly List<IBrokerExtension> _extensions;
    private readonly KafkaListener _listener;

    private KafkaBrokerHost(BrokerServices services, FileStream dataLock, List<IBrokerExtension> extensions, KafkaListener listener, ApiHandlerTable table)
    {
        Services = services;
        _lock = dataLock;
        _extensions = extensions;
        _listener = listener;
        Table = table;
    }

    public BrokerServices Services { get; }

    /// <summary>The API table (what ApiVersions advertises).</summary>
    public ApiHandlerTable Table { get; }

    /// <summary>The bound port.</summary>
    public int Port => _listener.LocalEndPoint.Port;

    /// <summary>The bound address.</summary>
    public string ListenHost => _listener.LocalEndPoint.Address.ToString();

    public string AdvertisedHost => Services.AdvertisedHost;

    public int AdvertisedPort => Services.AdvertisedPort;

    /// <summary>Opens the data directory, recovers the logs, registers the APIs and starts listening.</summary>
    public static async Task<KafkaBrokerHost> StartAsync(BrokerConfig config, ILoggerFactory loggerFactory, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        time ??= TimeProvider.System;
        Directory.CreateDirectory(config.DataDir);
        // Like Kafka's .lock: two brokers must never share a data directory.
        var dataLock = new FileStream(Path.Combine(config.DataDir, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var logger = loggerFactory.CreateLogger("Cairn.Kafka.Broker");
        foreach (var warning in config.Warnings)
        {
            Log.ConfigWarning(logger, warning);
        }

        var metrics = new BrokerMetrics();
        var controller = new StandaloneController(config);
        var replicas = new ReplicaManager(config, time, loggerFactory);
        await controller.AddListenerAsync(replicas).ConfigureAwait(false);
        replicas.CompleteStartup();

        var services = new BrokerServices(config, controller, replicas, metrics, time, loggerFactory);
        var table = new ApiHandlerTable();
        var dispatcher = new RequestDispatcher(table, metrics, logger);
        new KafkaApis(services, dispatcher).Register(table);

        var extensions = new List<IBrokerExtension>();
        AddGroupExtensions(extensions, services);
        AddProducerExtensions(extensions, services);
        foreach (var extension in extensions)
        {
            extension.Register(table);
        }

        foreach (var extension in extensions)
        {
            await extension.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        table.Freeze();
        var address = IPAddress.TryParse(config.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(config.Host, cancellationToken).ConfigureAwait(false))[0];
        var listener = KafkaListener.Bind(new IPEndPoint(address, config.Port), dispatcher, config.SocketRequestMaxBytes, metrics, logger);
        services.AdvertisedHost = config.AdvertisedHost;
        services.AdvertisedPort = config.AdvertisedPort != 0 ? config.AdvertisedPort : listener.LocalEndPoint.Port;
        listener.StartAccepting();
        return new KafkaBrokerHost(services, dataLock, extensions, listener, table);
    }

    /// <summary>The kafka-groups helper adds the group coordinator here (implemented in Groups/).</summary>
    static partial void AddGroupExtensions(List<IBrokerExtension> extensions, BrokerServices services);

    /// <summary>The kafka-groups helper adds the producer-id manager and producer state here (implemented in Producers/).</summary>
    static partial void AddProducerExtensions(List<IBrokerExtension> extensions, BrokerServices services);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        for (var i = _extensions.Count - 1; i >= 0; i--)
        {
            await _extensions[i].DisposeAsync().ConfigureAwait(false);
        }

        await Services.Replicas.DisposeAsync().ConfigureAwait(false);
        await Services.Controller.DisposeAsync().ConfigureAwait(false);
        Services.Metrics.Dispose();
        await _lock.DisposeAsync().ConfigureAwait(false);
    }
}
