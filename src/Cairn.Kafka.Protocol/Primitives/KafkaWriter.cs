using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cairn.Kafka.Protocol;

/// <summary>
/// Big-endian writer of Kafka primitives into an <see cref="IBufferWriter{T}"/> (a pooled buffer writer or a
/// <c>PipeWriter</c>). Bytes are committed to the output in chunks; call <see cref="Flush"/> when done.
/// A writer created with <see cref="CreateCounting"/> has no output and only counts bytes: message sizes
/// (frame length prefixes, tagged-field sizes) are computed by running the same write code in counting mode.
/// </summary>
public ref struct KafkaWriter
{
    private readonly IBufferWriter<byte>? _output;
    private Span<byte> _span;
    private int _buffered;
    private int _committed;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public KafkaWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _committed = 0;
    }

    /// <summary>Creates a writer that writes nothing and only counts bytes (see <see cref="BytesWritten"/>).</summary>
    public static KafkaWriter CreateCounting() => default;

    /// <summary>True when this writer only counts bytes.</summary>
    public readonly bool IsCounting => _output is null;

    /// <summary>Total bytes written (or counted) so far, including bytes not yet flushed.</summary>
    public readonly int BytesWritten => _committed + _buffered;

    /// <summary>Commits buffered bytes to the output. Call once after the last write.</summary>
    public void Flush()
    {
        if (_buffered > 0 && _output is not null)
        {
            _output.Advance(_buffered);
            _committed += _buffered;
            _buffered = 0;
            _span = default;
        }
    }

    /// <summary>Returns a span of at least <paramref name="size"/> bytes to write into; null-span in counting mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_output is null)
        {
            _buffered += size;
            return default;
        }

        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        var slice = _span.Slice(_buffered, size);
        _buffered += size;
        return slice;
    }

    private void Grow(int size)
    {
        Flush();
        _span = _output!.GetSpan(Math.Max(size, 256));
    }

    public void WriteInt8(sbyte value)
    {
        var s = Reserve(1);
        if (!s.IsEmpty) s[0] = (byte)value;
    }

    public void WriteBool(bool value) => WriteInt8(value ? (sbyte)1 : (sbyte)0);

    public void WriteInt16(short value)
    {
        var s = Reserve(2);
        if (!s.IsEmpty) BinaryPrimitives.WriteInt16BigEndian(s, value);
    }

    public void WriteUInt16(ushort value)
    {
        var s = Reserve(2);
        if (!s.IsEmpty) BinaryPrimitives.WriteUInt16BigEndian(s, value);
    }

    public void WriteInt32(int value)
    {
        var s = Reserve(4);
        if (!s.IsEmpty) BinaryPrimitives.WriteInt32BigEndian(s, value);
    }

    public void WriteUInt32(uint value)
    {
        var s = Reserve(4);
        if (!s.IsEmpty) BinaryPrimitives.WriteUInt32BigEndian(s, value);
    }

    public void WriteInt64(long value)
    {
        var s = Reserve(8);
        if (!s.IsEmpty) BinaryPrimitives.WriteInt64BigEndian(s, value);
    }

    public void WriteFloat64(double value)
    {
        var s = Reserve(8);
        if (!s.IsEmpty) BinaryPrimitives.WriteDoubleBigEndian(s, value);
    }

    /// <summary>Writes a Kafka uuid: 16 bytes, most significant first.</summary>
    public void WriteUuid(Guid value)
    {
        var s = Reserve(16);
        if (!s.IsEmpty) value.TryWriteBytes(s, bigEndian: true, out _);
    }

    /// <summary>Writes an unsigned LEB128 varint.</summary>
    public void WriteUnsignedVarInt(uint value) => WriteUnsignedVarLong(value);

    /// <summary>Writes an unsigned LEB128 varlong.</summary>
    public void WriteUnsignedVarLong(ulong value)
    {
        var s = Reserve(VarInt.SizeOf(value));
        if (!s.IsEmpty) VarInt.Write(s, value);
    }

    /// <summary>Writes a zig-zag signed varint.</summary>
    public void WriteVarInt(int value) => WriteUnsignedVarLong(VarInt.ZigZag(value));

    /// <summary>Writes a zig-zag signed varlong.</summary>
    public void WriteVarLong(long value) => WriteUnsignedVarLong(VarInt.ZigZag(value));

    /// <summary>Writes raw bytes.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (_output is null)
        {
            _buffered += bytes.Length;
            return;
        }

        while (!bytes.IsEmpty)
        {
            if (_span.Length - _buffered == 0)
            {
                Grow(Math.Min(bytes.Length, 4096));
            }

            var n = Math.Min(bytes.Length, _span.Length - _buffered);
            bytes[..n].CopyTo(_span[_buffered..]);
            _buffered += n;
            bytes = bytes[n..];
        }
    }

    private void WriteLength(int length, bool compact, bool wide)
    {
        if (compact)
        {
            WriteUnsignedVarInt((uint)(length + 1));
        }
        else if (wide)
        {
            WriteInt32(length);
        }
        else
        {
            WriteInt16(checked((short)length));
        }
    }

    private static void ThrowNull(string what) =>
        throw new KafkaProtocolException($"A non-nullable {what} field was null when writing.");

    /// <summary>Writes a string (classic: int16 length; compact: uvarint N+1); null only if nullable.</summary>
    public void WriteString(string? value, bool compact, bool nullable)
    {
        if (value is null)
        {
            if (!nullable) ThrowNull("string");
            WriteLength(-1, compact, wide: false);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (!compact && length > short.MaxValue)
        {
            throw new KafkaProtocolException($"String of {length} bytes is too long for an int16 length.");
        }

        WriteLength(length, compact, wide: false);
        if (_output is null)
        {
            _buffered += length;
            return;
        }

        var s = Reserve(length);
        Encoding.UTF8.GetBytes(value, s);
    }

    /// <summary>Writes a non-null classic (int16-length) string.</summary>
    public void WriteString(string value) => WriteString(value, compact: false, nullable: false);

    /// <summary>Writes a bytes field (classic: int32 length; compact: uvarint N+1); null only if nullable.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value, bool isNull, bool compact, bool nullable)
    {
        if (isNull)
        {
            if (!nullable) ThrowNull("bytes");
            WriteLength(-1, compact, wide: true);
            return;
        }

        WriteLength(value.Length, compact, wide: true);
        WriteRaw(value);
    }

    /// <summary>Writes a bytes field from an array; null only if nullable.</summary>
    public void WriteBytes(byte[]? value, bool compact, bool nullable) =>
        WriteBytes(value, value is null, compact, nullable);

    /// <summary>Writes a records field; null only if nullable.</summary>
    public void WriteRecords(ReadOnlyMemory<byte>? value, bool compact, bool nullable) =>
        WriteBytes(value.HasValue ? value.Value.Span : default, !value.HasValue, compact, nullable);

    /// <summary>Writes an array element count; -1 writes null (only if nullable).</summary>
    public void WriteArrayLength(int count, bool compact, bool nullable)
    {
        if (count < 0 && !nullable) ThrowNull("array");
        WriteLength(count < 0 ? -1 : count, compact, wide: true);
    }

    /// <summary>Writes the marker byte of a nullable struct field (-1 null, 1 present).</summary>
    public void WriteStructPresence(bool present) => WriteInt8(present ? (sbyte)1 : (sbyte)-1);
}
