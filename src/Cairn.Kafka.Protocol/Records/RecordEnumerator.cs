namespace Cairn.Kafka.Protocol.Records;

/// <summary>
/// Allocation-free enumerator over the uncompressed records section of a magic-v2 batch. Every length is checked
/// against the bytes present; malformed records throw <see cref="KafkaProtocolException"/>.
/// </summary>
public ref struct RecordEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _remaining;
    private int _position;

    /// <summary>Enumerates <paramref name="count"/> records encoded back to back in <paramref name="records"/>.</summary>
    public RecordEnumerator(ReadOnlySpan<byte> records, int count)
    {
        if (count < 0)
        {
            throw new KafkaProtocolException($"Negative record count {count}.");
        }

        _data = records;
        _remaining = count;
        _position = 0;
        Current = default;
    }

    public Record Current { get; private set; }

    public readonly RecordEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            if (_position != _data.Length)
            {
                throw new KafkaProtocolException($"{_data.Length - _position} bytes follow the last record of the batch.");
            }

            return false;
        }

        _remaining--;
        Current = ReadRecord(_data, ref _position);
        return true;
    }

    /// <summary>Decodes one record at <paramref name="position"/> and advances past it.</summary>
    public static Record ReadRecord(ReadOnlySpan<byte> data, scoped ref int position)
    {
        var start = position;
        var length = VarInt.ReadSigned32(data, ref position);
        if (length < 0 || length > data.Length - position)
        {
            throw new KafkaProtocolException($"Record length {length} exceeds the {data.Length - position} bytes left.");
        }

        var end = position + length;
        var body = data[..end];
        if (position >= end)
        {
            throw new KafkaProtocolException("Empty record.");
        }

        var attributes = (sbyte)body[position++];
        var timestampDelta = VarInt.ReadSigned64(body, ref position);
        var offsetDelta = VarInt.ReadSigned32(body, ref position);
        var key = ReadNullable(body, ref position, out var keyNull);
        var value = ReadNullable(body, ref position, out var valueNull);
        var headerCount = VarInt.ReadSigned32(body, ref position);
        if (headerCount < 0 || headerCount > end - position)
        {
            throw new KafkaProtocolException($"Invalid record header count {headerCount}.");
        }

        var headersStart = position;
        for (var i = 0; i < headerCount; i++)
        {
            ReadHeader(body, ref position);
        }

        if (position != end)
        {
            throw new KafkaProtocolException($"Record declared {length} bytes but its fields used {position - (end - length)}.");
        }

        return new Record(attributes, timestampDelta, offsetDelta, key, keyNull, value, valueNull, headerCount, body[headersStart..end], end - start);
    }

    internal static RecordHeader ReadHeader(ReadOnlySpan<byte> data, scoped ref int position)
    {
        var key = ReadNullable(data, ref position, out var keyNull);
        if (keyNull)
        {
            throw new KafkaProtocolException("Record header key is null.");
        }

        var value = ReadNullable(data, ref position, out var valueNull);
        return new RecordHeader(key, value, valueNull);
    }

    private static ReadOnlySpan<byte> ReadNullable(ReadOnlySpan<byte> data, scoped ref int position, out bool isNull)
    {
        var length = VarInt.ReadSigned32(data, ref position);
        if (length < 0)
        {
            if (length != -1)
            {
                throw new KafkaProtocolException($"Invalid record field length {length}.");
            }

            isNull = true;
            return default;
        }

        if (length > data.Length - position)
        {
            throw new KafkaProtocolException($"Record field length {length} exceeds the {data.Length - position} bytes left.");
        }

        isNull = false;
        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }
}
