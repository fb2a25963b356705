using System.Collections.Concurrent;
using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Storage;
using Cairn.Kafka.Storage.Configuration;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Partitions;

/// <summary>
/// The partitions this broker hosts, kept in step with the controller's metadata: creates and
/// opens logs for new partitions, applies config changes, deletes logs of deleted topics, and runs
/// the periodic log maintenance (flush.ms, segment.ms, retention).
/// </summary>
public sealed partial class ReplicaManager : IMetadataListener, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionReplica> _partitions = new();
    private readonly BrokerConfig _config;
    private readonly LogConfig _brokerDefaults;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;

    public ReplicaManager(BrokerConfig config, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _config = config;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Cairn.Kafka.Broker.Partitions");
        _brokerDefaults = BrokerLogDefaults(config);
    }

    /// <summary>
    /// The topic-config defaults from the broker's log.* settings (hours/minutes already converted by
    /// <see cref="BrokerConfig.ResolveTopicConfig(KafkaConfigCatalog.TopicConfigKey, IReadOnlyDictionary{string, string}?)"/>).
    /// </summary>
    private static LogConfig BrokerLogDefaults(BrokerConfig config)
    {
        var fromBroker = new List<KeyValuePair<string, string>>();
        foreach (var key in KafkaConfigCatalog.TopicConfigs)
        {
            var (value, source) = config.ResolveTopicConfig(key, null);
            if (source == ConfigSource.StaticBrokerConfig && value is not null && LogConfig.IsKnownKey(key.Definition.Name))
            {
                fromBroker.Add(new(key.Definition.Name, value));
            }
        }

        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!LogConfig.TryParse(fromBroker, LogConfig.Default with { Overrides = empty }, out var defaults, out var error))
        {
            throw new ArgumentException($"invalid log configuration: {error}", nameof(config));
        }

        // Broker-level values are defaults, not topic overrides.
        return defaults with { Overrides = empty };
    }

    /// <summary>Signalled after every append to any partition (wakes long-polling fetches).</summary>
    public AppendSignal Appended { get; } = new();

    /// <summary>The broker-level defaults of topic configs.</summary>
    public LogConfig BrokerDefaults => _brokerDefaults;

    /// <summary>The replica of <paramref name="topic"/>-<paramref name="partition"/>, or null when not hosted.</summary>
    public PartitionReplica? Find(string topic, int partition) => _partitions.GetValueOrDefault((topic, partition));

    /// <summary>Every hosted partition (no particular order).</summary>
    public IEnumerable<PartitionReplica> All => _partitions.Values;

    /// <summary>The directory of a partition's log.</summary>
    public string PartitionDirectory(string topic, int partition) => Path.Combine(_config.DataDir, $"{topic}-{partition}");

    /// <inheritdoc/>
    public void OnTopicChanged(TopicMetadata? before, TopicMetadata? after)
    {
        if (after is null)
        {
            if (before is not null)
            {
                DeleteTopic(before);
            }

            return;
        }

        var logConfig = LogConfigFor(after);
        foreach (var p in after.Partitions)
        {
            if (_partitions.TryGetValue((after.Name, p.Index), out var existing))
            {
                existing.Log.UpdateConfig(logConfig);
                if (existing.LeaderEpoch != p.LeaderEpoch)
                {
                    existing.SetLeaderEpoch(p.LeaderEpoch);
                }

                continue;
            }

            var directory = PartitionDirectory(after.Name, p.Index);
            if (before is null && _startupComplete && Directory.Exists(directory))
            {
                // Left over from a topic of the same name deleted just before a crash: a new topic starts empty.
                Directory.Delete(directory, recursive: true);
            }

            var log = PartitionLog.Open(directory, after.Name, p.Index, logConfig, _time, _loggerFactory.CreateLogger("Cairn.Kafka.Storage"));
            _partitions[(after.Name, p.Index)] = new PartitionReplica(after.Name, after.TopicId, p.Index, log, p.LeaderEpoch, Appended);
        }
    }

    private bool _startupComplete;

    /// <summary>Called once the persisted topics are open: from now on a "created" topic is new.</summary>
    public void CompleteStartup()
    {
        _startupComplete = true;
        _maintenance ??= MaintainAsync(_stopping.Token);
    }

    /// <summary>The storage config of a topic: broker defaults plus the topic's overrides.</summary>
    public LogConfig LogConfigFor(TopicMetadata topic)
    {
        if (topic.Configs.Count == 0)
        {
            return _brokerDefaults;
        }

        if (!LogConfig.TryParse(topic.Configs, _brokerDefaults, out var config, out var error))
        {
            // Overrides are validated by the controller; a key storage does not model is ignored here.
            Log.IgnoredTopicConfig(_logger, topic.Name, error ?? "");
            var known = new List<KeyValuePair<string, string>>();
            foreach (var kv in topic.Configs)
            {
                if (LogConfig.IsKnownKey(kv.Key))
                {
                    known.Add(kv);
                }
            }

            return LogConfig.TryParse(known, _brokerDefaults, out config, out _) ? config : _brokerDefaults;
        }

        return config;
    }

    private void DeleteTopic(TopicMetadata topic)
    {
        foreach (var p in topic.Partitions)
        {
            if (_partitions.TryRemove((topic.Name, p.Index), out var replica))
            {
                replica.Dispose();
            }

            var directory = PartitionDirectory(topic.Name, p.Index);
            if (Directory.Exists(directory))
            {
                // Rename first so a crash mid-delete never leaves a half-deleted live directory.
                var doomed = $"{directory}.{topic.TopicId:N}-delete";
                Directory.Move(directory, doomed);
                TryDeleteDirectory(doomed);
            }
        }

        Log.TopicLogsDeleted(_logger, topic.Name);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Removed at the next start.
        }
    }

    /// <summary>Removes directories of topics whose deletion was interrupted.</summary>
    public void CleanUpDeletedDirectories()
    {
        if (!Directory.Exists(_config.DataDir))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(_config.DataDir, "*-delete"))
        {
            TryDeleteDirectory(dir);
        }
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        // flush.ms and segment.ms need a finer tick than log.retention.check.interval.ms; each pass is cheap.
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(_config.GetLong("log.retention.check.interval.ms"), 100, 1000));
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var replica in _partitions.Values)
                {
                    try
                    {
                        replica.Log.RunMaintenance();
                    }
                    catch (IOException e)
                    {
                        Log.MaintenanceFailed(_logger, replica.Topic, replica.Partition, e);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Clean shutdown: stops maintenance, flushes and closes every log (marking it cleanly closed).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_maintenance is not null)
        {
            await _maintenance.ConfigureAwait(false);
        }

        foreach (var key in _partitions.Keys)
        {
            if (_partitions.TryRemove(key, out var replica))
            {
                replica.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "topic {Topic}: config not applied to storage: {Error}")]
        public static partial void IgnoredTopicConfig(ILogger logger, string topic, string error);

        [LoggerMessage(21, LogLevel.Information, "deleted the logs of topic {Topic}")]
        public static partial void TopicLogsDeleted(ILogger logger, string topic);

        [LoggerMessage(22, LogLevel.Error, "maintenance of {Topic}-{Partition} failed")]
        public static partial void MaintenanceFailed(ILogger logger, string topic, int partition, Exception exception);
    }
}
