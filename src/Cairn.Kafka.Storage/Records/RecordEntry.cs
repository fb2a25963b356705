namespace Cairn.Kafka.Storage.Records;

/// <summary>One record inside an uncompressed batch, as spans over the batch bytes.</summary>
internal readonly ref struct RecordEntry
{
    public RecordEntry(ReadOnlySpan<byte> raw, long timestampDelta, int offsetDelta, ReadOnlySpan<byte> key, bool hasKey, bool hasValue)
    {
        Raw = raw;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        HasKey = hasKey;
        HasValue = hasValue;
    }

    /// <summary>The whole record including its length prefix (copied as-is by compaction).</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public long TimestampDelta { get; }

    public int OffsetDelta { get; }

    public ReadOnlySpan<byte> Key { get; }

    /// <summary>False for a null key.</summary>
    public bool HasKey { get; }

    /// <summary>False for a null value (a tombstone in a compacted topic).</summary>
    public bool HasValue { get; }
}
