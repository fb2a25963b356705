using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cairn.Kafka.Protocol;

/// <summary>
/// Forward-only big-endian reader over one contiguous Kafka frame (header + body, without the size prefix).
/// Every read validates lengths against the remaining bytes and throws <see cref="KafkaProtocolException"/>
/// on malformed input, so untrusted frames can never cause out-of-range reads or huge allocations.
/// </summary>
/// <remarks>
/// The reader keeps the frame as <see cref="ReadOnlyMemory{T}"/> so that <c>records</c> fields can be returned as
/// slices of the original buffer without copying: the caller must keep that buffer alive (and unmodified) for as
/// long as it uses those slices.
/// </remarks>
public ref struct KafkaReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    /// <summary>Creates a reader over <paramref name="frame"/>.</summary>
    public KafkaReader(ReadOnlyMemory<byte> frame)
    {
        _memory = frame;
        _span = frame.Span;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>True when every byte was consumed.</summary>
    public readonly bool End => _position == _span.Length;

    /// <summary>The bytes not yet consumed.</summary>
    public readonly ReadOnlySpan<byte> UnreadSpan => _span[_position..];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_span.Length - _position))
        {
            ThrowTruncated(count);
        }

        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly void ThrowTruncated(int count) =>
        throw new KafkaProtocolException($"Truncated data: needed {count} bytes at offset {_position}, {Remaining} remain.");

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count) => Take(count);

    /// <summary>Reads <paramref name="count"/> raw bytes as a span of the frame.</summary>
    public ReadOnlySpan<byte> ReadRawSpan(int count) => Take(count);

    /// <summary>Reads <paramref name="count"/> raw bytes as a slice of the frame's memory (no copy).</summary>
    public ReadOnlyMemory<byte> ReadRawMemory(int count)
    {
        Take(count);
        return _memory.Slice(_position - count, count);
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBool() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    /// <summary>Reads a Kafka uuid: 16 bytes, most significant first.</summary>
    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    /// <summary>Reads an unsigned LEB128 varint (flexible-version lengths and tags), at most 5 bytes.</summary>
    public uint ReadUnsignedVarInt() => VarInt.ReadUInt32(_span, ref _position);

    /// <summary>Reads an unsigned LEB128 varlong, at most 10 bytes.</summary>
    public ulong ReadUnsignedVarLong() => VarInt.ReadUInt64(_span, ref _position);

    /// <summary>Reads a zig-zag signed varint (record batches).</summary>
    public int ReadVarInt() => VarInt.ReadSigned32(_span, ref _position);

    /// <summary>Reads a zig-zag signed varlong (record batches).</summary>
    public long ReadVarLong() => VarInt.ReadSigned64(_span, ref _position);

    /// <summary>
    /// Reads a length prefix: int16 (classic string), int32 (classic bytes/array) or unsigned varint N+1 (compact).
    /// Returns -1 for null. Throws when the value is null but <paramref name="nullable"/> is false, or negative.
    /// </summary>
    private int ReadLength(bool compact, bool wide, bool nullable, string what)
    {
        int length;
        if (compact)
        {
            var raw = ReadUnsignedVarInt();
            if (raw > int.MaxValue)
            {
                throw new KafkaProtocolException($"Compact {what} length {raw} is too large.");
            }

            length = (int)raw - 1;
        }
        else
        {
            length = wide ? ReadInt32() : ReadInt16();
        }

        if (length < 0)
        {
            if (length != -1)
            {
                throw new KafkaProtocolException($"Negative {what} length {length}.");
            }

            if (!nullable)
            {
                throw new KafkaProtocolException($"Non-nullable {what} was null.");
            }
        }

        return length;
    }

    /// <summary>Reads a string (classic: int16 length; compact: uvarint N+1). Returns null only if nullable.</summary>
    public string? ReadString(bool compact, bool nullable)
    {
        var length = ReadLength(compact, wide: false, nullable, "string");
        return length < 0 ? null : length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Reads a non-null classic (int16-length) string.</summary>
    public string ReadString() => ReadString(compact: false, nullable: false)!;

    /// <summary>Reads a bytes field as a copied array (classic: int32 length; compact: uvarint N+1).</summary>
    public byte[]? ReadBytes(bool compact, bool nullable)
    {
        var length = ReadLength(compact, wide: true, nullable, "bytes");
        return length < 0 ? null : length == 0 ? [] : Take(length).ToArray();
    }

    /// <summary>Reads a records field as a slice of the frame (no copy); null only if nullable.</summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact, bool nullable)
    {
        var length = ReadLength(compact, wide: true, nullable, "records");
        return length < 0 ? (ReadOnlyMemory<byte>?)null : ReadRawMemory(length);
    }

    /// <summary>
    /// Reads an array element count; -1 means null (only if <paramref name="nullable"/>). Counts larger than the
    /// remaining bytes are rejected, because every element occupies at least one byte on the wire.
    /// </summary>
    public int ReadArrayLength(bool compact, bool nullable)
    {
        var count = ReadLength(compact, wide: true, nullable, "array");
        if (count > Remaining)
        {
            throw new KafkaProtocolException($"Array length {count} exceeds the {Remaining} remaining bytes.");
        }

        return count;
    }

    /// <summary>Reads the marker byte of a nullable struct field: false when the struct is null.</summary>
    public bool ReadStructPresence() => ReadInt8() >= 0;

    /// <summary>Reads the element count of a tagged-field section, guarded against the remaining bytes.</summary>
    public int ReadTaggedFieldCount()
    {
        var count = ReadUnsignedVarInt();
        if (count > (uint)Remaining)
        {
            throw new KafkaProtocolException($"Tagged field count {count} exceeds the {Remaining} remaining bytes.");
        }

        return (int)count;
    }

    /// <summary>Reads a tagged field's size and checks it against the remaining bytes.</summary>
    public int ReadTaggedFieldSize()
    {
        var size = ReadUnsignedVarInt();
        if (size > (uint)Remaining)
        {
            throw new KafkaProtocolException($"Tagged field size {size} exceeds the {Remaining} remaining bytes.");
        }

        return (int)size;
    }

    /// <summary>Throws unless exactly <paramref name="size"/> bytes were consumed since <paramref name="start"/>.</summary>
    public readonly void EnsureConsumed(int start, int size, uint tag)
    {
        if (_position - start != size)
        {
            throw new KafkaProtocolException($"Tagged field {tag} declared {size} bytes but its value used {_position - start}.");
        }
    }
}
