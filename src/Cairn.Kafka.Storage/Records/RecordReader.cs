using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Records;

/// <summary>
/// Walks the records of an uncompressed magic-v2 batch (length-prefixed, zig-zag varint fields), checking
/// that each record is well-formed and lies inside the batch. Allocation-free.
/// </summary>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _records;
    private int _position;

    /// <param name="batch">One whole batch including its 61-byte header.</param>
    public RecordReader(ReadOnlySpan<byte> batch) => _records = batch[RecordBatchHeader.Size..];

    /// <summary>True when every byte of the batch was consumed by whole records.</summary>
    public readonly bool IsAtEnd => _position == _records.Length;

    /// <summary>Reads the next record; false at the end or when the bytes do not form a record.</summary>
    public bool TryRead(out RecordEntry record)
    {
        record = default;
        var position = _position;
        if (!TryReadVarLong(_records, ref position, out var length) || length <= 0 || length > _records.Length - position)
        {
            return false;
        }

        var end = position + (int)length;
        position++; // attributes (unused)
        if (!TryReadVarLong(_records[..end], ref position, out var timestampDelta) ||
            !TryReadVarLong(_records[..end], ref position, out var offsetDelta) || offsetDelta < 0 || offsetDelta > int.MaxValue ||
            !TryReadBytes(_records[..end], ref position, out var keyStart, out var keyLength) ||
            !TryReadBytes(_records[..end], ref position, out _, out var valueLength) ||
            !TryReadVarLong(_records[..end], ref position, out var headerCount) || headerCount < 0)
        {
            return false;
        }

        for (long i = 0; i < headerCount; i++)
        {
            if (!TryReadBytes(_records[..end], ref position, out _, out var headerKeyLength) || headerKeyLength < 0 ||
                !TryReadBytes(_records[..end], ref position, out _, out _))
            {
                return false;
            }
        }

        if (position != end)
        {
            return false;
        }

        record = new RecordEntry(
            _records[_position..end],
            timestampDelta,
            (int)offsetDelta,
            keyLength < 0 ? default : _records.Slice(keyStart, keyLength),
            keyLength >= 0,
            valueLength >= 0);
        _position = end;
        return true;
    }

    /// <summary>A length-prefixed byte field: start and length (-1 = null).</summary>
    private static bool TryReadBytes(ReadOnlySpan<byte> source, ref int position, out int start, out int length)
    {
        start = 0;
        length = -1;
        if (!TryReadVarLong(source, ref position, out var n) || n < -1 || n > source.Length - position)
        {
            return false;
        }

        start = position;
        length = (int)n;
        if (n > 0)
        {
            position += (int)n;
        }

        return true;
    }

    /// <summary>Zig-zag varint (up to 10 bytes) at <paramref name="position"/>.</summary>
    internal static bool TryReadVarLong(ReadOnlySpan<byte> source, ref int position, out long value)
    {
        ulong raw = 0;
        for (var i = 0; i < 10 && position + i < source.Length; i++)
        {
            var b = source[position + i];
            raw |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                position += i + 1;
                value = (long)(raw >> 1) ^ -(long)(raw & 1);
                return true;
            }
        }

        value = 0;
        return false;
    }
}
