using System.Globalization;

namespace Cairn.Kafka.Broker.Configuration;

/// <summary>
/// The broker's static configuration: Kafka property names and defaults (kafka.md Appendix C),
/// from <c>server.properties</c> overridden by command-line flags, plus the listener settings.
/// </summary>
public sealed class BrokerConfig
{
    private readonly Dictionary<string, string> _explicit;

    private BrokerConfig(Dictionary<string, string> explicitValues, IReadOnlyList<string> warnings)
    {
        _explicit = explicitValues;
        Warnings = warnings;
    }

    /// <summary>Keys that were set but that Cairn does not know (Kafka also only warns).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The explicitly set properties (file and flags), validated and canonical.</summary>
    public IReadOnlyDictionary<string, string> ExplicitValues => _explicit;

    /// <summary>Builds a configuration; invalid values of known keys are errors (returned, not thrown).</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> properties, out BrokerConfig config, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        foreach (var (key, raw) in properties)
        {
            if (key.StartsWith("cairn.", StringComparison.Ordinal))
            {
                // Cairn's own settings from flags (--port, --host, --advertised-host).
                values[key] = raw;
            }
            else if (KafkaConfigCatalog.TryGetBroker(key, out var definition))
            {
                if (!definition.TryNormalize(raw, out var normalized, out error))
                {
                    config = null!;
                    return false;
                }

                values[key] = normalized!;
            }
            else if (KafkaConfigCatalog.TryGetTopic(key, out var topicKey))
            {
                // Kafka accepts topic-level names only at topic level; keep them but warn.
                if (!topicKey.Definition.TryNormalize(raw, out var normalized, out error))
                {
                    config = null!;
                    return false;
                }

                values[key] = normalized!;
                warnings.Add($"{key} is a topic-level config; use its broker name ({string.Join(" or ", topicKey.BrokerSynonyms)})");
            }
            else
            {
                values[key] = raw;
                warnings.Add($"{key} is not a known config; ignored");
            }
        }

        config = new BrokerConfig(values, warnings);
        if (config.AdvertisedPort is < 0 or > 65535 || config.Port is < 0 or > 65535)
        {
            error = "ports must be in 0..65535";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Defaults only (tests).</summary>
    public static BrokerConfig Default(string dataDir, int port = 0) =>
        TryCreate(new Dictionary<string, string> { ["log.dirs"] = dataDir, ["cairn.port"] = port.ToString(CultureInfo.InvariantCulture) }, out var c, out var e)
            ? c
            : throw new InvalidOperationException(e);

    /// <summary>The value in effect for a broker key: explicit, else Kafka's default; null when neither.</summary>
    public string? Get(string name)
    {
        if (_explicit.TryGetValue(name, out var v))
        {
            return v;
        }

        return KafkaConfigCatalog.TryGetBroker(name, out var d) ? d.Default : null;
    }

    /// <summary>True when the key was set in the file or by a flag.</summary>
    public bool IsExplicit(string name) => _explicit.ContainsKey(name);

    public int GetInt(string name) => (int)GetLong(name);

    public long GetLong(string name) => long.Parse(Get(name) ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public bool GetBool(string name) => string.Equals(Get(name), "true", StringComparison.Ordinal);

    /// <summary><c>node.id</c> (or <c>broker.id</c> when only that is set).</summary>
    public int NodeId => IsExplicit("node.id") || !IsExplicit("broker.id") ? GetInt("node.id") : GetInt("broker.id");

    /// <summary>The listen address (default 127.0.0.1).</summary>
    public string Host => _explicit.TryGetValue("cairn.host", out var h) ? h : ListenerHost ?? "127.0.0.1";

    /// <summary>The listen port (from <c>--port</c>, else <c>listeners</c>, else 9092).</summary>
    public int Port => _explicit.TryGetValue("cairn.port", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : ListenerPort ?? 9092;

    /// <summary>The host clients are told to connect to (Metadata).</summary>
    public string AdvertisedHost => _explicit.TryGetValue("cairn.advertised.host", out var h) ? h : AdvertisedListener.Host ?? Host;

    /// <summary>The port clients are told to connect to; 0 means "the port actually bound".</summary>
    public int AdvertisedPort => _explicit.TryGetValue("cairn.advertised.port", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : AdvertisedListener.Port ?? 0;

    /// <summary>The data directory (first of <c>log.dirs</c>, else <c>log.dir</c>).</summary>
    public string DataDir => (Get("log.dirs") ?? Get("log.dir") ?? "/tmp/kafka-logs").Split(',')[0].Trim();

    public int NumPartitions => GetInt("num.partitions");

    public short DefaultReplicationFactor => (short)GetInt("default.replication.factor");

    public bool AutoCreateTopicsEnable => GetBool("auto.create.topics.enable");

    public bool DeleteTopicEnable => GetBool("delete.topic.enable");

    public int MessageMaxBytes => GetInt("message.max.bytes");

    public int SocketRequestMaxBytes => GetInt("socket.request.max.bytes");

    public int OffsetsTopicNumPartitions => GetInt("offsets.topic.num.partitions");

    public string? Rack => Get("broker.rack");

    /// <summary>
    /// The effective value of a topic-level key for a topic with <paramref name="overrides"/>:
    /// the override, else the broker synonym (with hours/minutes converted to ms), else Kafka's default.
    /// </summary>
    public (string? Value, ConfigSource Source) ResolveTopicConfig(KafkaConfigCatalog.TopicConfigKey key, IReadOnlyDictionary<string, string>? overrides)
    {
        if (overrides is not null && overrides.TryGetValue(key.Definition.Name, out var o))
        {
            return (o, ConfigSource.DynamicTopicConfig);
        }

        foreach (var synonym in key.BrokerSynonyms)
        {
            if (_explicit.TryGetValue(synonym, out var v))
            {
                return (ConvertSynonym(synonym, v), ConfigSource.StaticBrokerConfig);
            }
        }

        // Defaults expressed in hours (log.retention.hours=168, log.roll.hours=168) equal the topic defaults.
        return (key.Definition.Default, ConfigSource.DefaultConfig);
    }

    /// <summary>The effective value of a topic-level key by name (throws on an unknown key: a bug).</summary>
    public string ResolveTopicConfig(string name, IReadOnlyDictionary<string, string>? overrides) =>
        KafkaConfigCatalog.TryGetTopic(name, out var key)
            ? ResolveTopicConfig(key, overrides).Value ?? ""
            : throw new ArgumentException($"unknown topic config {name}", nameof(name));

    private static string ConvertSynonym(string synonym, string value)
    {
        var factor = synonym.EndsWith(".hours", StringComparison.Ordinal) ? 3_600_000L
            : synonym.EndsWith(".minutes", StringComparison.Ordinal) ? 60_000L
            : 1L;
        if (factor == 1)
        {
            return value;
        }

        var n = long.Parse(value, CultureInfo.InvariantCulture);
        return (n < 0 ? -1 : n * factor).ToString(CultureInfo.InvariantCulture);
    }

    private string? ListenerHost => ParseListener(Get("listeners")).Host is { Length: > 0 } h ? h : null;

    private int? ListenerPort => ParseListener(Get("listeners")).Port;

    private (string? Host, int? Port) AdvertisedListener => ParseListener(Get("advertised.listeners"));

    private static (string? Host, int? Port) ParseListener(string? listeners)
    {
        if (string.IsNullOrEmpty(listeners))
        {
            return (null, null);
        }

        // PLAINTEXT://host:port — the first listener; Cairn serves PLAINTEXT only.
        var first = listeners.Split(',')[0].Trim();
        var scheme = first.IndexOf("://", StringComparison.Ordinal);
        var hostPort = scheme >= 0 ? first[(scheme + 3)..] : first;
        var colon = hostPort.LastIndexOf(':');
        if (colon < 0)
        {
            return (hostPort, null);
        }

        var host = hostPort[..colon].Trim('[', ']');
        return (host.Length == 0 ? null : host, int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null);
    }
}
