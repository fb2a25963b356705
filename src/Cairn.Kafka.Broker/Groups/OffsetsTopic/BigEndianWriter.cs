using System.Buffers.Binary;
using System.Text;

namespace Cairn.Kafka.Broker.Groups.OffsetsTopic;

/// <summary>A growable big-endian writer for the classic (non-flexible) encodings of the offsets-topic records.</summary>
internal sealed class BigEndianWriter
{
    private byte[] _buffer = new byte[128];

    public int Length { get; private set; }

    private Span<byte> Take(int n)
    {
        if (Length + n > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + n));
        }

        var span = _buffer.AsSpan(Length, n);
        Length += n;
        return span;
    }

    public void Int8(sbyte v) => Take(1)[0] = (byte)v;

    public void Int16(short v) => BinaryPrimitives.WriteInt16BigEndian(Take(2), v);

    public void Int32(int v) => BinaryPrimitives.WriteInt32BigEndian(Take(4), v);

    public void Int64(long v) => BinaryPrimitives.WriteInt64BigEndian(Take(8), v);

    public void String(string? v)
    {
        if (v is null)
        {
            Int16(-1);
            return;
        }

        var n = Encoding.UTF8.GetByteCount(v);
        Int16((short)n);
        Encoding.UTF8.GetBytes(v, Take(n));
    }

    public void Bytes(ReadOnlySpan<byte> v)
    {
        Int32(v.Length);
        v.CopyTo(Take(v.Length));
    }

    public void Raw(ReadOnlySpan<byte> v) => v.CopyTo(Take(v.Length));

    /// <summary>Zig-zag varint, as inside record batches.</summary>
    public void VarInt(long v)
    {
        var u = (ulong)((v << 1) ^ (v >> 63));
        while (u >= 0x80)
        {
            Take(1)[0] = (byte)(u | 0x80);
            u >>= 7;
        }

        Take(1)[0] = (byte)u;
    }

    public Span<byte> Written => _buffer.AsSpan(0, Length);

    public byte[] ToArray() => Written.ToArray();
}
