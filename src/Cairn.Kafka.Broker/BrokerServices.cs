using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Partitions;
using Cairn.Kafka.Broker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker;

/// <summary>
/// What request handlers and broker extensions (group coordinator, producer state) work with:
/// configuration, the controller's metadata, the hosted partitions, metrics, time and logging.
/// </summary>
public sealed class BrokerServices
{
    internal BrokerServices(BrokerConfig config, StandaloneController controller, ReplicaManager replicas, BrokerMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        Config = config;
        Controller = controller;
        Replicas = replicas;
        Metrics = metrics;
        Time = time;
        LoggerFactory = loggerFactory;
    }

    public BrokerConfig Config { get; }

    public StandaloneController Controller { get; }

    public ReplicaManager Replicas { get; }

    public BrokerMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>This broker's node id.</summary>
    public int NodeId => Config.NodeId;

    /// <summary>Host and port given to clients in Metadata/FindCoordinator/DescribeCluster (set once bound).</summary>
    public string AdvertisedHost { get; internal set; } = "127.0.0.1";

    public int AdvertisedPort { get; internal set; }

    /// <summary>
    /// Idempotent-producer checks run inside each partition append (set by the producer-state
    /// extension during registration; null = no checks).
    /// </summary>
    public IProduceGuard? ProduceGuard { get; set; }

    /// <summary>
    /// Creates an internal topic (e.g. <c>__consumer_offsets</c>) if missing and returns it; its
    /// partitions are then available from <see cref="Replicas"/> for appends
    /// (<see cref="PartitionReplica.Append"/>) and reads (<see cref="PartitionReplica.Log"/>).
    /// </summary>
    public async Task<TopicMetadata> EnsureInternalTopicAsync(string name, int partitions, IReadOnlyList<KeyValuePair<string, string?>> configs)
    {
        if (Controller.FindTopic(name) is { } existing)
        {
            return existing;
        }

        var result = await Controller.CreateTopicAsync(new NewTopic(name, partitions, -1, null, configs), validateOnly: false).ConfigureAwait(false);
        if (result.Topic is { } created)
        {
            return created;
        }

        return Controller.FindTopic(name) ?? throw new InvalidOperationException($"cannot create internal topic {name}: {result.ErrorMessage}");
    }
}
