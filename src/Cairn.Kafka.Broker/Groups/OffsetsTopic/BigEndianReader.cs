using System.Buffers.Binary;
using System.Text;

namespace Cairn.Kafka.Broker.Groups.OffsetsTopic;

/// <summary>Reads the classic encodings; every read checks bounds and reports failure instead of throwing.</summary>
internal ref struct BigEndianReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool Failed { get; private set; }

    public readonly int Remaining => _data.Length - _pos;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (Failed || n < 0 || _pos + n > _data.Length)
        {
            Failed = true;
            return default;
        }

        var span = _data.Slice(_pos, n);
        _pos += n;
        return span;
    }

    public short Int16() => Take(2) is { Length: 2 } s ? BinaryPrimitives.ReadInt16BigEndian(s) : (short)0;

    public int Int32() => Take(4) is { Length: 4 } s ? BinaryPrimitives.ReadInt32BigEndian(s) : 0;

    public long Int64() => Take(8) is { Length: 8 } s ? BinaryPrimitives.ReadInt64BigEndian(s) : 0;

    public string? NullableString()
    {
        var n = Int16();
        return n < 0 ? null : Encoding.UTF8.GetString(Take(n));
    }

    public string String() => NullableString() ?? "";

    public byte[] Bytes()
    {
        var n = Int32();
        return n < 0 ? [] : Take(n).ToArray();
    }

    public long VarInt()
    {
        ulong u = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1);
            if (b.Length == 0)
            {
                return 0;
            }

            u |= (ulong)(b[0] & 0x7F) << shift;
            if ((b[0] & 0x80) == 0)
            {
                return (long)(u >> 1) ^ -(long)(u & 1);
            }
        }

        Failed = true;
        return 0;
    }

    public ReadOnlySpan<byte> Raw(int n) => Take(n);
}
