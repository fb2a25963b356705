using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Tests;

/// <summary>Builds uncompressed magic-v2 batches the way a producer does (base offset 0, epoch -1, valid CRC).</summary>
internal static class TestBatches
{
    public sealed record TestRecord(string? Key, string? Value, long Timestamp);

    public static byte[] Build(params TestRecord[] records) => Build(records, producerId: -1, producerEpoch: -1, baseSequence: -1);

    public static byte[] Build(IReadOnlyList<TestRecord> records, long producerId, short producerEpoch, int baseSequence, CompressionType compression = CompressionType.None)
    {
        var baseTimestamp = records[0].Timestamp;
        long maxTimestamp = baseTimestamp;
        var body = new List<byte>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            maxTimestamp = Math.Max(maxTimestamp, r.Timestamp);
            var record = new List<byte> { 0 };
            WriteVarLong(record, r.Timestamp - baseTimestamp);
            WriteVarLong(record, i);
            WriteBytes(record, r.Key is null ? null : Encoding.UTF8.GetBytes(r.Key));
            WriteBytes(record, r.Value is null ? null : Encoding.UTF8.GetBytes(r.Value));
            WriteVarLong(record, 0);
            WriteVarLong(body, record.Count);
            body.AddRange(record);
        }

        byte[] section = [.. body];
        if (compression != CompressionType.None)
        {
            var compressed = new ArrayBufferWriter<byte>();
            CompressionCodec.Get(compression).Compress(section, compressed);
            section = compressed.WrittenSpan.ToArray();
        }

        var batch = new byte[RecordBatchHeader.Size + section.Length];
        new RecordBatchHeader(0, batch.Length - 12, -1, 2, 0, (short)compression, records.Count - 1, baseTimestamp, maxTimestamp, producerId, producerEpoch, baseSequence, records.Count)
            .WriteTo(batch);
        section.CopyTo(batch, RecordBatchHeader.Size);
        RecordBatchHeader.UpdateCrc(batch);
        return batch;
    }

    /// <summary>A batch of <paramref name="count"/> records with values "v{first}".."v{first+count-1}".</summary>
    public static byte[] Values(int first, int count, long timestamp = 1_700_000_000_000, string? key = null)
    {
        var records = new TestRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = new TestRecord(key, "v" + (first + i), timestamp);
        }

        return Build(records);
    }

    /// <summary>Decodes every record of a run of batches: (offset, key, value, timestamp).</summary>
    public static List<(long Offset, string? Key, string? Value, long Timestamp)> Decode(ReadOnlySpan<byte> bytes)
    {
        var result = new List<(long, string?, string?, long)>();
        while (RecordBatchHeader.TryRead(bytes, out var header) && header.TotalSize <= bytes.Length)
        {
            RecordBatchHeader.IsCrcValid(bytes[..header.TotalSize]).ShouldBeTrue();
            var decompressed = new ArrayBufferWriter<byte>();
            new RecordBatch(bytes[..header.TotalSize]).DecompressRecords(decompressed);
            ReadOnlySpan<byte> span = decompressed.WrittenSpan;
            for (var i = 0; i < header.RecordCount; i++)
            {
                var length = (int)ReadVarLong(ref span);
                var record = span[..length];
                span = span[length..];
                record = record[1..];
                var tsDelta = ReadVarLong(ref record);
                var offsetDelta = ReadVarLong(ref record);
                var key = ReadString(ref record);
                var value = ReadString(ref record);
                result.Add((header.BaseOffset + offsetDelta, key, value, header.BaseTimestamp + tsDelta));
            }

            bytes = bytes[header.TotalSize..];
        }

        return result;
    }

    private static string? ReadString(ref ReadOnlySpan<byte> span)
    {
        var n = (int)ReadVarLong(ref span);
        if (n < 0)
        {
            return null;
        }

        var s = Encoding.UTF8.GetString(span[..n]);
        span = span[n..];
        return s;
    }

    private static long ReadVarLong(ref ReadOnlySpan<byte> span)
    {
        ulong raw = 0;
        var shift = 0;
        var i = 0;
        while (true)
        {
            var b = span[i++];
            raw |= (ulong)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        span = span[i..];
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    private static void WriteBytes(List<byte> into, byte[]? bytes)
    {
        if (bytes is null)
        {
            WriteVarLong(into, -1);
            return;
        }

        WriteVarLong(into, bytes.Length);
        into.AddRange(bytes);
    }

    private static void WriteVarLong(List<byte> into, long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        while (v >= 0x80)
        {
            into.Add((byte)(v | 0x80));
            v >>= 7;
        }

        into.Add((byte)v);
    }

    public static long ReadBaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch);
}
