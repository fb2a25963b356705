namespace Cairn.Kafka.Broker.Configuration;

/// <summary>
/// The broker and topic configuration keys Cairn understands, with Kafka 3.9's names and defaults
/// (Kafka's ServerLogConfigs, LogConfig, ReplicationConfigs, GroupCoordinatorConfig).
/// </summary>
public static class KafkaConfigCatalog
{
    private const string LongMax = "9223372036854775807";
    private const string SevenDaysMs = "604800000";

    /// <summary>A topic-level key and the broker keys that supply its default, most specific first.</summary>
    public sealed record TopicConfigKey(ConfigDefinition Definition, IReadOnlyList<string> BrokerSynonyms);

    private static readonly string[] s_compressionTypes = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];
    private static readonly string[] s_cleanupPolicies = ["delete", "compact"];
    private static readonly string[] s_timestampTypes = ["CreateTime", "LogAppendTime"];

    /// <summary>Topic-level configs (CreateTopics/AlterConfigs/DescribeConfigs on TOPIC resources).</summary>
    public static IReadOnlyList<TopicConfigKey> TopicConfigs { get; } =
    [
        Topic(new("cleanup.policy", ConfigType.List, "delete", AllowedValues: s_cleanupPolicies, ReadOnly: false), "log.cleanup.policy"),
        Topic(new("compression.type", ConfigType.String, "producer", AllowedValues: s_compressionTypes, ReadOnly: false), "compression.type"),
        Topic(new("delete.retention.ms", ConfigType.Long, "86400000", 0, ReadOnly: false), "log.cleaner.delete.retention.ms"),
        Topic(new("file.delete.delay.ms", ConfigType.Long, "60000", 0, ReadOnly: false), "log.segment.delete.delay.ms"),
        Topic(new("flush.messages", ConfigType.Long, LongMax, 1, ReadOnly: false), "log.flush.interval.messages"),
        Topic(new("flush.ms", ConfigType.Long, LongMax, 0, ReadOnly: false), "log.flush.interval.ms", "log.flush.scheduler.interval.ms"),
        Topic(new("index.interval.bytes", ConfigType.Int, "4096", 0, ReadOnly: false), "log.index.interval.bytes"),
        Topic(new("max.compaction.lag.ms", ConfigType.Long, LongMax, 1, ReadOnly: false), "log.cleaner.max.compaction.lag.ms"),
        Topic(new("max.message.bytes", ConfigType.Int, "1048588", 0, ReadOnly: false), "message.max.bytes"),
        Topic(new("message.downconversion.enable", ConfigType.Boolean, "true", ReadOnly: false), "log.message.downconversion.enable"),
        Topic(new("message.timestamp.after.max.ms", ConfigType.Long, LongMax, 0, ReadOnly: false), "log.message.timestamp.after.max.ms"),
        Topic(new("message.timestamp.before.max.ms", ConfigType.Long, LongMax, 0, ReadOnly: false), "log.message.timestamp.before.max.ms"),
        Topic(new("message.timestamp.type", ConfigType.String, "CreateTime", AllowedValues: s_timestampTypes, ReadOnly: false), "log.message.timestamp.type"),
        Topic(new("min.cleanable.dirty.ratio", ConfigType.Double, "0.5", 0, ReadOnly: false), "log.cleaner.min.cleanable.ratio"),
        Topic(new("min.compaction.lag.ms", ConfigType.Long, "0", 0, ReadOnly: false), "log.cleaner.min.compaction.lag.ms"),
        Topic(new("min.insync.replicas", ConfigType.Int, "1", 1, ReadOnly: false), "min.insync.replicas"),
        Topic(new("preallocate", ConfigType.Boolean, "false", ReadOnly: false), "log.preallocate"),
        Topic(new("retention.bytes", ConfigType.Long, "-1", ReadOnly: false), "log.retention.bytes"),
        Topic(new("retention.ms", ConfigType.Long, SevenDaysMs, -1, ReadOnly: false), "log.retention.ms", "log.retention.minutes", "log.retention.hours"),
        Topic(new("segment.bytes", ConfigType.Int, "1073741824", 14, ReadOnly: false), "log.segment.bytes"),
        Topic(new("segment.index.bytes", ConfigType.Int, "10485760", 4, ReadOnly: false), "log.index.size.max.bytes"),
        Topic(new("segment.jitter.ms", ConfigType.Long, "0", 0, ReadOnly: false), "log.roll.jitter.ms", "log.roll.jitter.hours"),
        Topic(new("segment.ms", ConfigType.Long, SevenDaysMs, 1, ReadOnly: false), "log.roll.ms", "log.roll.hours"),
        Topic(new("unclean.leader.election.enable", ConfigType.Boolean, "false", ReadOnly: false), "unclean.leader.election.enable"),
    ];

    /// <summary>Broker-level configs (server.properties, flags, DescribeConfigs on BROKER resources).</summary>
    public static IReadOnlyList<ConfigDefinition> BrokerConfigs { get; } =
    [
        new("node.id", ConfigType.Int, "0", 0),
        new("broker.id", ConfigType.Int, "-1", -1),
        new("listeners", ConfigType.String, "PLAINTEXT://:9092"),
        new("advertised.listeners", ConfigType.String, null),
        new("log.dirs", ConfigType.String, null),
        new("log.dir", ConfigType.String, "/tmp/kafka-logs"),
        new("num.partitions", ConfigType.Int, "1", 1, ReadOnly: false),
        new("default.replication.factor", ConfigType.Int, "1", 1),
        new("auto.create.topics.enable", ConfigType.Boolean, "true"),
        new("delete.topic.enable", ConfigType.Boolean, "true"),
        new("message.max.bytes", ConfigType.Int, "1048588", 0, ReadOnly: false),
        new("socket.request.max.bytes", ConfigType.Int, "104857600", 1),
        new("socket.send.buffer.bytes", ConfigType.Int, "102400"),
        new("socket.receive.buffer.bytes", ConfigType.Int, "102400"),
        new("connections.max.idle.ms", ConfigType.Long, "600000"),
        new("num.network.threads", ConfigType.Int, "3", 1),
        new("num.io.threads", ConfigType.Int, "8", 1),
        new("num.recovery.threads.per.data.dir", ConfigType.Int, "2", 1),
        new("log.cleanup.policy", ConfigType.List, "delete", AllowedValues: s_cleanupPolicies, ReadOnly: false),
        new("compression.type", ConfigType.String, "producer", AllowedValues: s_compressionTypes, ReadOnly: false),
        new("log.cleaner.enable", ConfigType.Boolean, "true"),
        new("log.cleaner.delete.retention.ms", ConfigType.Long, "86400000", 0, ReadOnly: false),
        new("log.cleaner.min.cleanable.ratio", ConfigType.Double, "0.5", 0, ReadOnly: false),
        new("log.cleaner.min.compaction.lag.ms", ConfigType.Long, "0", 0, ReadOnly: false),
        new("log.cleaner.max.compaction.lag.ms", ConfigType.Long, LongMax, 1, ReadOnly: false),
        new("log.segment.delete.delay.ms", ConfigType.Long, "60000", 0, ReadOnly: false),
        new("log.flush.interval.messages", ConfigType.Long, LongMax, 1, ReadOnly: false),
        new("log.flush.interval.ms", ConfigType.Long, null, 0, ReadOnly: false),
        new("log.flush.scheduler.interval.ms", ConfigType.Long, LongMax),
        new("log.flush.offset.checkpoint.interval.ms", ConfigType.Int, "60000", 0),
        new("log.index.interval.bytes", ConfigType.Int, "4096", 0, ReadOnly: false),
        new("log.index.size.max.bytes", ConfigType.Int, "10485760", 4, ReadOnly: false),
        new("log.message.downconversion.enable", ConfigType.Boolean, "true", ReadOnly: false),
        new("log.message.timestamp.type", ConfigType.String, "CreateTime", AllowedValues: s_timestampTypes, ReadOnly: false),
        new("log.message.timestamp.before.max.ms", ConfigType.Long, LongMax, 0, ReadOnly: false),
        new("log.message.timestamp.after.max.ms", ConfigType.Long, LongMax, 0, ReadOnly: false),
        new("log.preallocate", ConfigType.Boolean, "false", ReadOnly: false),
        new("log.retention.bytes", ConfigType.Long, "-1", ReadOnly: false),
        new("log.retention.ms", ConfigType.Long, null, -1, ReadOnly: false),
        new("log.retention.minutes", ConfigType.Int, null),
        new("log.retention.hours", ConfigType.Int, "168"),
        new("log.retention.check.interval.ms", ConfigType.Long, "300000", 1),
        new("log.segment.bytes", ConfigType.Int, "1073741824", 14, ReadOnly: false),
        new("log.roll.ms", ConfigType.Long, null, 1, ReadOnly: false),
        new("log.roll.hours", ConfigType.Int, "168", 1),
        new("log.roll.jitter.ms", ConfigType.Long, null, 0, ReadOnly: false),
        new("log.roll.jitter.hours", ConfigType.Int, "0", 0),
        new("min.insync.replicas", ConfigType.Int, "1", 1, ReadOnly: false),
        new("unclean.leader.election.enable", ConfigType.Boolean, "false", ReadOnly: false),
        new("replica.lag.time.max.ms", ConfigType.Long, "30000"),
        new("offsets.topic.num.partitions", ConfigType.Int, "50", 1),
        new("offsets.topic.replication.factor", ConfigType.Short, "3", 1),
        new("offsets.topic.segment.bytes", ConfigType.Int, "104857600", 1),
        new("offsets.retention.minutes", ConfigType.Int, "10080", 1),
        new("offsets.commit.timeout.ms", ConfigType.Int, "5000", 1),
        new("offset.metadata.max.bytes", ConfigType.Int, "4096"),
        new("group.initial.rebalance.delay.ms", ConfigType.Int, "3000", 0),
        new("group.min.session.timeout.ms", ConfigType.Int, "6000"),
        new("group.max.session.timeout.ms", ConfigType.Int, "1800000"),
        new("group.max.size", ConfigType.Int, "2147483647", 1),
        new("producer.id.expiration.ms", ConfigType.Int, "86400000", 1),
        new("transactional.id.expiration.ms", ConfigType.Int, "604800000", 1),
        new("transaction.state.log.num.partitions", ConfigType.Int, "50", 1),
        new("controlled.shutdown.enable", ConfigType.Boolean, "true"),
        new("broker.rack", ConfigType.String, null),
    ];

    private static readonly Dictionary<string, ConfigDefinition> s_broker = Index(BrokerConfigs);
    private static readonly Dictionary<string, TopicConfigKey> s_topic = IndexTopics(TopicConfigs);

    /// <summary>Looks up a broker key.</summary>
    public static bool TryGetBroker(string name, out ConfigDefinition definition) =>
        s_broker.TryGetValue(name, out definition!);

    /// <summary>Looks up a topic key.</summary>
    public static bool TryGetTopic(string name, out TopicConfigKey key) => s_topic.TryGetValue(name, out key!);

    private static TopicConfigKey Topic(ConfigDefinition definition, params string[] synonyms) => new(definition, synonyms);

    private static Dictionary<string, ConfigDefinition> Index(IReadOnlyList<ConfigDefinition> definitions)
    {
        var map = new Dictionary<string, ConfigDefinition>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            map[d.Name] = d;
        }

        return map;
    }

    private static Dictionary<string, TopicConfigKey> IndexTopics(IReadOnlyList<TopicConfigKey> keys)
    {
        var map = new Dictionary<string, TopicConfigKey>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            map[k.Definition.Name] = k;
        }

        return map;
    }
}
