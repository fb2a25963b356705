using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Bench.KafkaLoad;

/// <summary>Builds uncompressed magic-2 record batches of fixed-size values (no keys, no headers).</summary>
internal static class RecordBatchBuilder
{
    /// <summary>One batch of <paramref name="count"/> records of <paramref name="valueSize"/> bytes, CRC set.</summary>
    public static byte[] Build(int count, int valueSize, long timestamp)
    {
        var value = new byte[valueSize];
        new Random(42).NextBytes(value);
        var recordBody = RecordBodySize(valueSize, maxOffsetDelta: count - 1);
        var buffer = new byte[RecordBatchHeader.Size + (count * (recordBody + 5))];
        var position = RecordBatchHeader.Size;
        for (var i = 0; i < count; i++)
        {
            var body = RecordBodySize(valueSize, i);
            position += WriteVarInt(buffer.AsSpan(position), body);
            buffer[position++] = 0; // attributes
            position += WriteVarInt(buffer.AsSpan(position), 0); // timestamp delta
            position += WriteVarInt(buffer.AsSpan(position), i); // offset delta
            position += WriteVarInt(buffer.AsSpan(position), -1); // null key
            position += WriteVarInt(buffer.AsSpan(position), valueSize);
            value.CopyTo(buffer.AsSpan(position));
            position += valueSize;
            position += WriteVarInt(buffer.AsSpan(position), 0); // no headers
        }

        var batch = buffer.AsSpan(0, position).ToArray();
        new RecordBatchHeader(
            baseOffset: 0,
            batchLength: batch.Length - RecordBatchHeader.LogOverhead,
            partitionLeaderEpoch: -1,
            magic: RecordBatchHeader.CurrentMagic,
            crc: 0,
            attributes: 0,
            lastOffsetDelta: count - 1,
            baseTimestamp: timestamp,
            maxTimestamp: timestamp,
            producerId: -1,
            producerEpoch: -1,
            baseSequence: -1,
            recordCount: count).WriteTo(batch);
        RecordBatchHeader.UpdateCrc(batch);
        return batch;
    }

    /// <summary>How many records of <paramref name="valueSize"/> bytes fit in about <paramref name="batchBytes"/>.</summary>
    public static int RecordsPerBatch(int valueSize, int batchBytes) => Math.Max(1, batchBytes / (valueSize + 8));

    private static int RecordBodySize(int valueSize, int maxOffsetDelta) =>
        1 + 1 + VarIntSize(maxOffsetDelta) + 1 + VarIntSize(valueSize) + valueSize + 1;

    private static int VarIntSize(int value) => KafkaWriter.UnsignedVarIntSize((uint)((value << 1) ^ (value >> 31)));

    private static int WriteVarInt(Span<byte> destination, int value)
    {
        var v = (uint)((value << 1) ^ (value >> 31));
        var i = 0;
        while (v >= 0x80)
        {
            destination[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        destination[i++] = (byte)v;
        return i;
    }

    /// <summary>Records in the whole batches of a fetched records blob, and the offset after the last one.</summary>
    public static (long Records, long NextOffset) CountBatches(ReadOnlySpan<byte> records, long nextOffset)
    {
        long count = 0;
        while (RecordBatchHeader.TryRead(records, out var header) && header.TotalSize <= records.Length)
        {
            count += header.RecordCount;
            nextOffset = header.LastOffset + 1;
            records = records[header.TotalSize..];
        }

        return (count, nextOffset);
    }
}
