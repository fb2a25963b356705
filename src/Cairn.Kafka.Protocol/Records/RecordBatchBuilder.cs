using System.Buffers;
using System.Text;
using Cairn.Kafka.Protocol.Compression;

namespace Cairn.Kafka.Protocol.Records;

/// <summary>A header of a record being built: UTF-8 key and nullable value.</summary>
/// <param name="Key">Header key.</param>
/// <param name="Value">Header value, or null.</param>
public readonly record struct RecordHeaderEntry(string Key, byte[]? Value);

/// <summary>
/// Builds one magic-v2 record batch: records are varint-encoded into an internal buffer, then
/// <see cref="WriteTo"/> emits header + (compressed) records and the CRC-32C. Reusable after <see cref="Reset"/>.
/// </summary>
public sealed class RecordBatchBuilder
{
    private readonly ArrayBufferWriter<byte> _records = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private int _count;
    private long _baseTimestamp;
    private long _maxTimestamp;

    public RecordBatchBuilder(CompressionType compression = CompressionType.None)
    {
        Compression = compression;
    }

    public CompressionType Compression { get; set; }

    public long BaseOffset { get; set; }

    public int PartitionLeaderEpoch { get; set; } = -1;

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = -1;

    public int BaseSequence { get; set; } = -1;

    public bool IsTransactional { get; set; }

    public bool IsControl { get; set; }

    /// <summary>Marks timestamps as LogAppendTime instead of CreateTime.</summary>
    public bool IsLogAppendTime { get; set; }

    /// <summary>Records appended so far.</summary>
    public int Count => _count;

    /// <summary>Forgets the records so the builder can build another batch (settings are kept).</summary>
    public void Reset()
    {
        _records.ResetWrittenCount();
        _count = 0;
    }

    /// <summary>Appends a record; null key/value arrays encode as null.</summary>
    public void Append(long timestamp, byte[]? key, byte[]? value, params ReadOnlySpan<RecordHeaderEntry> headers) =>
        Append(timestamp, key, key is null, value, value is null, headers);

    /// <summary>Appends a record from spans; <paramref name="keyIsNull"/>/<paramref name="valueIsNull"/> encode null.</summary>
    public void Append(long timestamp, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<RecordHeaderEntry> headers = default)
    {
        if (_count == 0)
        {
            _baseTimestamp = timestamp;
            _maxTimestamp = timestamp;
        }

        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
        var timestampDelta = timestamp - _baseTimestamp;
        var offsetDelta = _count;

        var bodySize = 1 + VarInt.SizeOfSigned(timestampDelta) + VarInt.SizeOfSigned(offsetDelta)
            + FieldSize(key.Length, keyIsNull) + FieldSize(value.Length, valueIsNull) + VarInt.SizeOfSigned(headers.Length);
        foreach (var h in headers)
        {
            bodySize += FieldSize(Encoding.UTF8.GetByteCount(h.Key), false) + FieldSize(h.Value?.Length ?? 0, h.Value is null);
        }

        var total = VarInt.SizeOfSigned(bodySize) + bodySize;
        var span = _records.GetSpan(total);
        var p = VarInt.WriteSigned(span, bodySize);
        span[p++] = 0;
        p += VarInt.WriteSigned(span[p..], timestampDelta);
        p += VarInt.WriteSigned(span[p..], offsetDelta);
        p += WriteField(span[p..], key, keyIsNull);
        p += WriteField(span[p..], value, valueIsNull);
        p += VarInt.WriteSigned(span[p..], headers.Length);
        foreach (var h in headers)
        {
            var keyLength = Encoding.UTF8.GetByteCount(h.Key);
            p += VarInt.WriteSigned(span[p..], keyLength);
            p += Encoding.UTF8.GetBytes(h.Key, span[p..]);
            p += WriteField(span[p..], h.Value, h.Value is null);
        }

        _records.Advance(p);
        _count++;
    }

    private static int FieldSize(int length, bool isNull) => isNull ? 1 : VarInt.SizeOfSigned(length) + length;

    private static int WriteField(Span<byte> span, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull)
        {
            return VarInt.WriteSigned(span, -1);
        }

        var p = VarInt.WriteSigned(span, bytes.Length);
        bytes.CopyTo(span[p..]);
        return p + bytes.Length;
    }

    private short Attributes =>
        (short)((int)Compression
            | (IsLogAppendTime ? RecordBatchHeader.TimestampTypeFlag : 0)
            | (IsTransactional ? RecordBatchHeader.TransactionalFlag : 0)
            | (IsControl ? RecordBatchHeader.ControlFlag : 0));

    /// <summary>Writes the finished batch to <paramref name="output"/> and returns its size in bytes.</summary>
    public int WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        ReadOnlySpan<byte> payload = _records.WrittenSpan;
        if (Compression != CompressionType.None)
        {
            _compressed.ResetWrittenCount();
            CompressionCodec.Get(Compression).Compress(payload, _compressed);
            payload = _compressed.WrittenSpan;
        }

        var total = RecordBatchHeader.Size + payload.Length;
        var header = new RecordBatchHeader(
            BaseOffset,
            total - RecordBatchHeader.LogOverhead,
            PartitionLeaderEpoch,
            RecordBatchHeader.CurrentMagic,
            crc: 0,
            Attributes,
            lastOffsetDelta: _count - 1,
            _baseTimestamp,
            _maxTimestamp,
            ProducerId,
            ProducerEpoch,
            BaseSequence,
            _count);
        var span = output.GetSpan(total)[..total];
        header.WriteTo(span);
        payload.CopyTo(span[RecordBatchHeader.Size..]);
        RecordBatchHeader.UpdateCrc(span);
        output.Advance(total);
        return total;
    }

    /// <summary>Builds the batch into a new array (convenience for tests and tools).</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
