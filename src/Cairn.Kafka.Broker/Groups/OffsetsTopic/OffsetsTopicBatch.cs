using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Groups.OffsetsTopic;

/// <summary>
/// Builds and walks the uncompressed magic-2 batches the coordinator writes to <c>__consumer_offsets</c>.
/// </summary>
public static class OffsetsTopicBatch
{
    /// <summary>One record: key and value (null value = tombstone).</summary>
    public readonly record struct Entry(byte[] Key, byte[]? Value);

    /// <summary>A batch with base offset 0 (storage assigns the real one), no producer id, CreateTime timestamps.</summary>
    public static byte[] Build(IReadOnlyList<Entry> entries, long timestampMs)
    {
        var w = new BigEndianWriter();
        w.Raw(new byte[RecordBatchHeader.Size]);
        for (var i = 0; i < entries.Count; i++)
        {
            var body = new BigEndianWriter();
            body.Int8(0);
            body.VarInt(0);
            body.VarInt(i);
            body.VarInt(entries[i].Key.Length);
            body.Raw(entries[i].Key);
            if (entries[i].Value is { } value)
            {
                body.VarInt(value.Length);
                body.Raw(value);
            }
            else
            {
                body.VarInt(-1);
            }

            body.VarInt(0);
            w.VarInt(body.Length);
            w.Raw(body.Written);
        }

        var header = new RecordBatchHeader(
            0, w.Length - RecordBatchHeader.LogOverhead, -1, RecordBatchHeader.CurrentMagic, 0, 0, entries.Count - 1,
            timestampMs, timestampMs, -1, -1, -1, entries.Count);
        var batch = w.Written;
        header.WriteTo(batch);
        RecordBatchHeader.UpdateCrc(batch);
        return w.ToArray();
    }

    /// <summary>
    /// Calls <paramref name="onRecord"/> for every record of the whole batches in <paramref name="data"/>; returns the
    /// bytes consumed (a trailing partial batch is left). Compressed and control batches are skipped: we never write them.
    /// </summary>
    public static int ForEachRecord(ReadOnlySpan<byte> data, RecordVisitor onRecord) => ForEachRecord(data, onRecord, out _);

    /// <summary>As above; <paramref name="nextOffset"/> is the offset after the last whole batch (-1 when none).</summary>
    public static int ForEachRecord(ReadOnlySpan<byte> data, RecordVisitor onRecord, out long nextOffset)
    {
        var consumed = 0;
        nextOffset = -1;
        while (RecordBatchHeader.TryRead(data[consumed..], out var header) &&
               header.BatchLength >= RecordBatchHeader.Size - RecordBatchHeader.LogOverhead && header.TotalSize <= data.Length - consumed)
        {
            var batch = data.Slice(consumed, header.TotalSize);
            consumed += header.TotalSize;
            nextOffset = header.LastOffset + 1;
            if (header.Magic != RecordBatchHeader.CurrentMagic || header.CompressionCodec != 0 || header.IsControl)
            {
                continue;
            }

            var r = new BigEndianReader(batch[RecordBatchHeader.Size..]);
            while (r.Remaining > 0)
            {
                var length = (int)r.VarInt();
                var record = new BigEndianReader(r.Raw(length));
                if (r.Failed)
                {
                    break;
                }

                record.Raw(1);
                record.VarInt();
                var offsetDelta = record.VarInt();
                var keyLength = (int)record.VarInt();
                var key = keyLength < 0 ? default : record.Raw(keyLength);
                var valueLength = (int)record.VarInt();
                var value = valueLength < 0 ? default : record.Raw(valueLength);
                if (!record.Failed)
                {
                    onRecord(header.BaseOffset + offsetDelta, key, value, valueLength < 0);
                }
            }
        }

        return consumed;
    }

    /// <summary>Receives one record's offset, key and value.</summary>
    public delegate void RecordVisitor(long offset, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull);
}
