using System.Numerics;
using System.Runtime.CompilerServices;

namespace Cairn.Kafka.Protocol;

/// <summary>
/// Span-level LEB128 varints: unsigned (flexible-version lengths and tags) and zig-zag signed (records).
/// Decoders throw <see cref="KafkaProtocolException"/> on truncated or overlong input.
/// </summary>
public static class VarInt
{
    /// <summary>Zig-zag maps signed to unsigned so that small magnitudes stay short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UnZigZag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Bytes of the unsigned LEB128 encoding of <paramref name="value"/> (1-5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOf(uint value) => (38 - BitOperations.LeadingZeroCount(value | 1)) / 7;

    /// <summary>Bytes of the unsigned LEB128 encoding of <paramref name="value"/> (1-10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOf(ulong value) => (70 - BitOperations.LeadingZeroCount(value | 1)) / 7;

    /// <summary>Bytes of the zig-zag encoding of <paramref name="value"/>.</summary>
    public static int SizeOfSigned(int value) => SizeOf(ZigZag(value));

    /// <summary>Bytes of the zig-zag encoding of <paramref name="value"/>.</summary>
    public static int SizeOfSigned(long value) => SizeOf(ZigZag(value));

    /// <summary>Writes an unsigned varint at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes a zig-zag varint; returns the bytes written.</summary>
    public static int WriteSigned(Span<byte> destination, int value) => Write(destination, ZigZag(value));

    /// <summary>Writes a zig-zag varlong; returns the bytes written.</summary>
    public static int WriteSigned(Span<byte> destination, long value) => Write(destination, ZigZag(value));

    /// <summary>Reads an unsigned varint of at most 5 bytes (32 bits) at <paramref name="position"/>.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> source, ref int position)
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if ((uint)position >= (uint)source.Length)
            {
                throw new KafkaProtocolException("Truncated varint.");
            }

            var b = source[position++];
            if (shift == 28 && b > 0x0F)
            {
                throw new KafkaProtocolException("Varint does not fit in 32 bits.");
            }

            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new KafkaProtocolException("Varint is longer than 5 bytes.");
    }

    /// <summary>Reads an unsigned varlong of at most 10 bytes (64 bits) at <paramref name="position"/>.</summary>
    public static ulong ReadUInt64(ReadOnlySpan<byte> source, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if ((uint)position >= (uint)source.Length)
            {
                throw new KafkaProtocolException("Truncated varlong.");
            }

            var b = source[position++];
            if (shift == 63 && b > 0x01)
            {
                throw new KafkaProtocolException("Varlong does not fit in 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new KafkaProtocolException("Varlong is longer than 10 bytes.");
    }

    /// <summary>Reads a zig-zag varint.</summary>
    public static int ReadSigned32(ReadOnlySpan<byte> source, ref int position) => UnZigZag(ReadUInt32(source, ref position));

    /// <summary>Reads a zig-zag varlong.</summary>
    public static long ReadSigned64(ReadOnlySpan<byte> source, ref int position) => UnZigZag(ReadUInt64(source, ref position));
}
