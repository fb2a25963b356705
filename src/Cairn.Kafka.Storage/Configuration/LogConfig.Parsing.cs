using System.Globalization;
using System.Numerics;

namespace Cairn.Kafka.Storage.Configuration;

public sealed partial record LogConfig
{
    private delegate bool Apply(LogConfig config, string value, out LogConfig result, out string? error);

    private sealed record Key(string Name, string BrokerName, Apply Apply, Func<LogConfig, string> Format);

    private static readonly Key[] Keys =
    [
        new("segment.bytes", "log.segment.bytes", (LogConfig c, string v, out LogConfig r, out string? e) => TryInt(v, 14, int.MaxValue, c, (x, n) => x with { SegmentBytes = n }, out r, out e), c => Text(c.SegmentBytes)),
        new("segment.ms", "log.roll.ms", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, 1, long.MaxValue, c, (x, n) => x with { SegmentMs = n }, out r, out e), c => Text(c.SegmentMs)),
        new("retention.ms", "log.retention.ms", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, -1, long.MaxValue, c, (x, n) => x with { RetentionMs = n }, out r, out e), c => Text(c.RetentionMs)),
        new("retention.bytes", "log.retention.bytes", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, long.MinValue, long.MaxValue, c, (x, n) => x with { RetentionBytes = n }, out r, out e), c => Text(c.RetentionBytes)),
        new("cleanup.policy", "log.cleanup.policy", TryCleanupPolicy, c => FormatPolicy(c.CleanupPolicy)),
        new("max.message.bytes", "message.max.bytes", (LogConfig c, string v, out LogConfig r, out string? e) => TryInt(v, 0, int.MaxValue, c, (x, n) => x with { MaxMessageBytes = n }, out r, out e), c => Text(c.MaxMessageBytes)),
        new("flush.messages", "log.flush.interval.messages", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, 1, long.MaxValue, c, (x, n) => x with { FlushMessages = n }, out r, out e), c => Text(c.FlushMessages)),
        new("flush.ms", "log.flush.interval.ms", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, 0, long.MaxValue, c, (x, n) => x with { FlushMs = n }, out r, out e), c => Text(c.FlushMs)),
        new("index.interval.bytes", "log.index.interval.bytes", (LogConfig c, string v, out LogConfig r, out string? e) => TryInt(v, 0, int.MaxValue, c, (x, n) => x with { IndexIntervalBytes = n }, out r, out e), c => Text(c.IndexIntervalBytes)),
        new("segment.index.bytes", "log.index.size.max.bytes", (LogConfig c, string v, out LogConfig r, out string? e) => TryInt(v, 8, int.MaxValue, c, (x, n) => x with { SegmentIndexBytes = n }, out r, out e), c => Text(c.SegmentIndexBytes)),
        new("min.insync.replicas", "min.insync.replicas", (LogConfig c, string v, out LogConfig r, out string? e) => TryInt(v, 1, int.MaxValue, c, (x, n) => x with { MinInsyncReplicas = n }, out r, out e), c => Text(c.MinInsyncReplicas)),
        new("delete.retention.ms", "log.cleaner.delete.retention.ms", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, 0, long.MaxValue, c, (x, n) => x with { DeleteRetentionMs = n }, out r, out e), c => Text(c.DeleteRetentionMs)),
        new("min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio", TryDirtyRatio, c => c.MinCleanableDirtyRatio.ToString(CultureInfo.InvariantCulture)),
        new("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms", (LogConfig c, string v, out LogConfig r, out string? e) => TryLong(v, 0, long.MaxValue, c, (x, n) => x with { MinCompactionLagMs = n }, out r, out e), c => Text(c.MinCompactionLagMs)),
        new("message.timestamp.type", "log.message.timestamp.type", TryTimestampType, c => c.MessageTimestampType.ToString()),
        new("compression.type", "compression.type", TryCompressionType, c => c.CompressionType),
    ];

    /// <summary>The topic-level keys this config understands, in Kafka's spelling.</summary>
    public static IEnumerable<string> KeyNames
    {
        get
        {
            foreach (var key in Keys)
            {
                yield return key.Name;
            }
        }
    }

    /// <summary>True when <paramref name="name"/> is a topic-level key this config understands.</summary>
    public static bool IsKnownKey(string name) => Find(name) is not null;

    /// <summary>
    /// Applies topic-level overrides (<c>retention.ms=…</c>, …) on top of <paramref name="defaults"/>.
    /// Unknown keys and invalid values fail with a message naming the key; nothing is applied then.
    /// </summary>
    public static bool TryParse(
        IEnumerable<KeyValuePair<string, string>> overrides,
        LogConfig defaults,
        out LogConfig config,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(defaults);
        var result = defaults;
        var applied = new Dictionary<string, string>(defaults.Overrides, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            var key = Find(name);
            if (key is null)
            {
                config = defaults;
                error = $"Unknown topic config name: {name}";
                return false;
            }

            if (!key.Apply(result, value.Trim(), out result, out error))
            {
                config = defaults;
                error = $"Invalid value {value} for configuration {name}: {error}";
                return false;
            }

            applied[name] = value.Trim();
        }

        config = result with { Overrides = applied };
        error = null;
        return true;
    }

    /// <summary>
    /// Builds broker-wide topic defaults from server.properties keys (<c>log.segment.bytes</c>,
    /// <c>log.retention.hours</c>, <c>message.max.bytes</c>, …). Keys that are not log settings are ignored.
    /// </summary>
    public static bool TryParseBrokerDefaults(
        IEnumerable<KeyValuePair<string, string>> properties,
        out LogConfig config,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var byTopicKey = new List<KeyValuePair<string, string>>();
        string? retentionHours = null, retentionMinutes = null, retentionMs = null, rollHours = null, rollMs = null;
        foreach (var (name, value) in properties)
        {
            switch (name)
            {
                case "log.retention.hours": retentionHours = value; continue;
                case "log.retention.minutes": retentionMinutes = value; continue;
                case "log.retention.ms": retentionMs = value; continue;
                case "log.roll.hours": rollHours = value; continue;
                case "log.roll.ms": rollMs = value; continue;
            }

            foreach (var key in Keys)
            {
                if (key.BrokerName == name)
                {
                    byTopicKey.Add(new(key.Name, value));
                    break;
                }
            }
        }

        // Kafka's precedence: *.ms over *.minutes over *.hours.
        if (!TryScaled(retentionMs, retentionMinutes, retentionHours, "retention.ms", byTopicKey, out error) ||
            !TryScaled(rollMs, null, rollHours, "segment.ms", byTopicKey, out error))
        {
            config = Default;
            return false;
        }

        if (!TryParse(byTopicKey, Default, out config, out error))
        {
            return false;
        }

        // Broker defaults are not topic overrides.
        config = config with { Overrides = EmptyOverrides };
        return true;
    }

    /// <summary>Every key with its effective value and whether it is a topic override (for DescribeConfigs).</summary>
    public IEnumerable<(string Name, string Value, bool IsOverride)> Describe()
    {
        foreach (var key in Keys)
        {
            yield return (key.Name, key.Format(this), Overrides.ContainsKey(key.Name));
        }
    }

    /// <summary>The effective value of a key in Kafka's text form, or null for an unknown key.</summary>
    public string? GetValue(string name) => Find(name)?.Format(this);

    private static Key? Find(string name)
    {
        foreach (var key in Keys)
        {
            if (key.Name == name)
            {
                return key;
            }
        }

        return null;
    }

    private static bool TryScaled(string? ms, string? minutes, string? hours, string topicKey, List<KeyValuePair<string, string>> into, out string? error)
    {
        error = null;
        if (ms is not null)
        {
            into.Add(new(topicKey, ms));
            return true;
        }

        var (text, factor) = minutes is not null ? (minutes, 60_000L) : (hours, 3_600_000L);
        if (text is null)
        {
            return true;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            error = $"Invalid value {text} for the {topicKey} setting: not a number";
            return false;
        }

        into.Add(new(topicKey, n < 0 ? "-1" : Text(checked(n * factor))));
        return true;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryInt(string value, int min, int max, LogConfig c, Func<LogConfig, int, LogConfig> set, out LogConfig result, out string? error) =>
        TryNumber(value, min, max, c, set, "an integer", out result, out error);

    private static bool TryLong(string value, long min, long max, LogConfig c, Func<LogConfig, long, LogConfig> set, out LogConfig result, out string? error) =>
        TryNumber(value, min, max, c, set, "a long", out result, out error);

    private static bool TryNumber<T>(string value, T min, T max, LogConfig c, Func<LogConfig, T, LogConfig> set, string kind, out LogConfig result, out string? error)
        where T : struct, IBinaryInteger<T>
    {
        if (!T.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            result = c;
            error = $"expected {kind} in [{min}, {max}]";
            return false;
        }

        result = set(c, n);
        error = null;
        return true;
    }

    private static bool TryCleanupPolicy(LogConfig c, string value, out LogConfig result, out string? error)
    {
        var policy = CleanupPolicy.None;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case "delete": policy |= CleanupPolicy.Delete; break;
                case "compact": policy |= CleanupPolicy.Compact; break;
                default:
                    result = c;
                    error = "expected a list of delete and compact";
                    return false;
            }
        }

        result = c with { CleanupPolicy = policy };
        error = null;
        return true;
    }

    private static string FormatPolicy(CleanupPolicy policy) => policy switch
    {
        CleanupPolicy.Delete => "delete",
        CleanupPolicy.Compact => "compact",
        CleanupPolicy.Compact | CleanupPolicy.Delete => "compact,delete",
        _ => "",
    };

    private static bool TryDirtyRatio(LogConfig c, string value, out LogConfig result, out string? error)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || !(ratio >= 0 && ratio <= 1))
        {
            result = c;
            error = "expected a number in [0, 1]";
            return false;
        }

        result = c with { MinCleanableDirtyRatio = ratio };
        error = null;
        return true;
    }

    private static bool TryTimestampType(LogConfig c, string value, out LogConfig result, out string? error)
    {
        error = null;
        switch (value)
        {
            case "CreateTime": result = c with { MessageTimestampType = MessageTimestampType.CreateTime }; return true;
            case "LogAppendTime": result = c with { MessageTimestampType = MessageTimestampType.LogAppendTime }; return true;
            default:
                result = c;
                error = "expected CreateTime or LogAppendTime";
                return false;
        }
    }

    private static bool TryCompressionType(LogConfig c, string value, out LogConfig result, out string? error)
    {
        // Re-compressing on the broker is not implemented: only the setting that keeps batches as sent.
        if (value is "producer")
        {
            result = c with { CompressionType = value };
            error = null;
            return true;
        }

        result = c;
        error = "only producer is supported (the broker does not re-compress)";
        return false;
    }
}
