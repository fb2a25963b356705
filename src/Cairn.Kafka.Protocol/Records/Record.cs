namespace Cairn.Kafka.Protocol.Records;

/// <summary>
/// One record of a magic-v2 batch, decoded in place: key, value and headers are spans of the batch (or of the
/// decompressed records), so iterating a batch allocates nothing.
/// </summary>
public readonly ref struct Record
{
    internal Record(
        sbyte attributes,
        long timestampDelta,
        int offsetDelta,
        ReadOnlySpan<byte> key,
        bool isKeyNull,
        ReadOnlySpan<byte> value,
        bool isValueNull,
        int headerCount,
        ReadOnlySpan<byte> headers,
        int sizeInBytes)
    {
        Attributes = attributes;
        TimestampDelta = timestampDelta;
        OffsetDelta = offsetDelta;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        HeaderCount = headerCount;
        HeaderBytes = headers;
        SizeInBytes = sizeInBytes;
    }

    /// <summary>Record attributes (unused by Kafka, always 0).</summary>
    public sbyte Attributes { get; }

    /// <summary>Timestamp relative to the batch's baseTimestamp.</summary>
    public long TimestampDelta { get; }

    /// <summary>Offset relative to the batch's baseOffset.</summary>
    public int OffsetDelta { get; }

    /// <summary>Key bytes (empty when <see cref="IsKeyNull"/>).</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>Value bytes (empty when <see cref="IsValueNull"/>, a tombstone).</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    public int HeaderCount { get; }

    /// <summary>The encoded headers (already validated), enumerated by <see cref="Headers"/>.</summary>
    public ReadOnlySpan<byte> HeaderBytes { get; }

    /// <summary>Encoded size of the record including its length prefix.</summary>
    public int SizeInBytes { get; }

    /// <summary>Enumerates the record's headers without allocating.</summary>
    public RecordHeaderEnumerator Headers => new(HeaderBytes, HeaderCount);
}

/// <summary>One record header: a UTF-8 key (never null) and a nullable value.</summary>
public readonly ref struct RecordHeader
{
    internal RecordHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
    {
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    /// <summary>UTF-8 bytes of the header key.</summary>
    public ReadOnlySpan<byte> Key { get; }

    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }
}

/// <summary>Allocation-free enumerator over a record's headers (input validated by <see cref="RecordEnumerator"/>).</summary>
public ref struct RecordHeaderEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _remaining;
    private int _position;

    internal RecordHeaderEnumerator(ReadOnlySpan<byte> data, int count)
    {
        _data = data;
        _remaining = count;
        _position = 0;
        Current = default;
    }

    public RecordHeader Current { get; private set; }

    public readonly RecordHeaderEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining <= 0)
        {
            return false;
        }

        _remaining--;
        Current = RecordEnumerator.ReadHeader(_data, ref _position);
        return true;
    }
}
