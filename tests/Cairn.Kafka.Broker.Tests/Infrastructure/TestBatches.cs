using System.Buffers.Binary;
using System.Text;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Tests.Infrastructure;

/// <summary>Builds uncompressed magic-2 record batches (Kafka's DefaultRecordBatch layout) for tests.</summary>
public static class TestBatches
{
    /// <summary>A batch of records with null keys and the given UTF-8 values, CreateTime <paramref name="timestamp"/>.</summary>
    public static byte[] Values(long timestamp, params string[] values)
    {
        var records = new List<byte>();
        for (var i = 0; i < values.Length; i++)
        {
            var body = new List<byte> { 0 };        // attributes
            WriteVarLong(body, 0);                  // timestamp delta
            WriteVarLong(body, i);                  // offset delta
            WriteVarLong(body, -1);                 // key: null
            var value = Encoding.UTF8.GetBytes(values[i]);
            WriteVarLong(body, value.Length);
            body.AddRange(value);
            WriteVarLong(body, 0);                  // headers
            WriteVarLong(records, body.Count);
            records.AddRange(body);
        }

        var batch = new byte[RecordBatchHeader.Size + records.Count];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, 0);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], -1);
        span[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], 0);
        BinaryPrimitives.WriteInt32BigEndian(span[23..], values.Length - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], timestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[43..], -1);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], values.Length);
        records.CopyTo(batch, RecordBatchHeader.Size);
        RecordBatchHeader.UpdateCrc(batch);
        return batch;
    }

    /// <summary>The values of the records in <paramref name="batches"/> (uncompressed), with their offsets.</summary>
    public static List<(long Offset, string? Value)> Read(ReadOnlySpan<byte> batches)
    {
        var result = new List<(long, string?)>();
        while (batches.Length >= RecordBatchHeader.Size)
        {
            RecordBatchHeader.TryRead(batches, out var header).ShouldBeTrue();
            if (header.TotalSize > batches.Length)
            {
                break; // a truncated trailing batch is legal in Fetch responses
            }

            var records = batches[RecordBatchHeader.Size..header.TotalSize];
            for (var i = 0; i < header.RecordCount; i++)
            {
                var length = (int)ReadVarLong(ref records);
                var record = records[..length];
                records = records[length..];
                record = record[1..];
                ReadVarLong(ref record);
                var offsetDelta = ReadVarLong(ref record);
                var keyLength = ReadVarLong(ref record);
                if (keyLength > 0)
                {
                    record = record[(int)keyLength..];
                }

                var valueLength = ReadVarLong(ref record);
                result.Add((header.BaseOffset + offsetDelta, valueLength < 0 ? null : Encoding.UTF8.GetString(record[..(int)valueLength])));
            }

            batches = batches[header.TotalSize..];
        }

        return result;
    }

    private static void WriteVarLong(List<byte> output, long value)
    {
        var v = (ulong)((value << 1) ^ (value >> 63));
        while (v >= 0x80)
        {
            output.Add((byte)(v | 0x80));
            v >>= 7;
        }

        output.Add((byte)v);
    }

    private static long ReadVarLong(ref ReadOnlySpan<byte> input)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = input[0];
            input = input[1..];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
        }

        return (long)(result >> 1) ^ -(long)(result & 1);
    }
}
