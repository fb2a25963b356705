using System.Collections.Concurrent;
using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Storage;
using Cairn.Kafka.Storage.Configuration;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Partitions;

/// <summary>
/// The partitions this broker hosts, kept in step with the controller's metadata: creates and
/// opens logs for new partitions (through storage's <see cref="LogDirectory"/>, which also runs
/// retention, flush.ms, segment.ms and compaction), applies config changes, and deletes the logs
/// of deleted topics.
/// </summary>
public sealed partial class ReplicaManager : IMetadataListener, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionReplica> _partitions = new();
    private readonly BrokerConfig _config;
    private readonly LogConfig _brokerDefaults;
    private readonly LogDirectory _logs;
    private readonly ILogger _logger;
    private bool _startupComplete;

    public ReplicaManager(BrokerConfig config, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _config = config;
        _logger = loggerFactory.CreateLogger("Cairn.Kafka.Broker.Partitions");
        _brokerDefaults = BrokerLogDefaults(config);
        var options = new LogDirectoryOptions
        {
            FileDeleteDelay = TimeSpan.FromMilliseconds(config.GetLong("log.segment.delete.delay.ms")),
        };
        _logs = LogDirectory.Open(config.DataDir, _brokerDefaults, options, time, loggerFactory);
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
        if (before is not null)
        {
            _logs.UpdateConfig(after.Name, logConfig);
        }

        foreach (var p in after.Partitions)
        {
            if (_partitions.TryGetValue((after.Name, p.Index), out var existing))
            {
                if (existing.LeaderEpoch != p.LeaderEpoch)
                {
                    existing.SetLeaderEpoch(p.LeaderEpoch);
                }

                continue;
            }

            if (before is null && _startupComplete && _logs.TryGet(after.Name, p.Index, out _))
            {
                // Left over from a topic of the same name whose deletion was cut short: a new topic starts empty.
                _logs.Delete(after.Name, p.Index);
            }

            var log = _logs.GetOrCreate(after.Name, p.Index, logConfig);
            log.UpdateConfig(logConfig); // the metadata, not a reopened log's old topic.config, is authoritative

            _partitions[(after.Name, p.Index)] = new PartitionReplica(after.Name, after.TopicId, p.Index, log, p.LeaderEpoch, Appended);
        }
    }

    /// <summary>
    /// Called once the persisted topics are open: deletes logs of partitions the metadata does not
    /// know (a deletion cut short by a crash), then starts the log maintenance and cleaner loops.
    /// </summary>
    public void CompleteStartup()
    {
        foreach (var log in _logs.Partitions)
        {
            if (!_partitions.ContainsKey((log.Topic, log.Partition)))
            {
                Log.OrphanDeleted(_logger, log.Topic, log.Partition);
                _logs.Delete(log.Topic, log.Partition);
            }
        }

        _startupComplete = true;
        _logs.Start();
    }

    /// <summary>The storage config of a topic: broker defaults plus the topic's overrides.</summary>
    public LogConfig LogConfigFor(TopicMetadata topic)
    {
        if (topic.Configs.Count == 0)
        {
            return _brokerDefaults;
        }

        var known = new List<KeyValuePair<string, string>>();
        foreach (var kv in topic.Configs)
        {
            // Overrides are validated by the controller; keys storage does not model (e.g. unclean.leader.election.enable) are not its business.
            if (LogConfig.IsKnownKey(kv.Key))
            {
                known.Add(kv);
            }
        }

        if (!LogConfig.TryParse(known, _brokerDefaults, out var config, out var error))
        {
            Log.IgnoredTopicConfig(_logger, topic.Name, error ?? "");
            return _brokerDefaults;
        }

        return config;
    }

    private void DeleteTopic(TopicMetadata topic)
    {
        foreach (var p in topic.Partitions)
        {
            _partitions.TryRemove((topic.Name, p.Index), out _);
            // Storage renames the directory at once and removes the files after file.delete.delay.ms,
            // so fetches in flight finish reading.
            _logs.Delete(topic.Name, p.Index);
        }

        Log.TopicLogsDeleted(_logger, topic.Name);
    }

    /// <summary>Clean shutdown: stops maintenance, flushes and closes every log (marking it cleanly closed).</summary>
    public async ValueTask DisposeAsync()
    {
        _partitions.Clear();
        await _logs.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "topic {Topic}: config not applied to storage: {Error}")]
        public static partial void IgnoredTopicConfig(ILogger logger, string topic, string error);

        [LoggerMessage(21, LogLevel.Information, "deleted the logs of topic {Topic}")]
        public static partial void TopicLogsDeleted(ILogger logger, string topic);

        [LoggerMessage(22, LogLevel.Warning, "deleting {Topic}-{Partition}: the metadata has no such partition (a deletion cut short)")]
        public static partial void OrphanDeleted(ILogger logger, string topic, int partition);
    }
}
