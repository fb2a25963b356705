using System.Buffers;

namespace Cairn.Kafka.Broker.Network;

/// <summary>One request frame (without its 4-byte size prefix) in a pooled buffer owned by the frame.</summary>
public sealed class RequestFrame : IDisposable
{
    private byte[]? _buffer;

    private RequestFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The frame bytes: request header then body.</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(RequestFrame))).AsMemory(0, Length);

    /// <summary>Copies a frame out of the connection's read buffer.</summary>
    public static RequestFrame CopyFrom(in ReadOnlySequence<byte> bytes)
    {
        var length = checked((int)bytes.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        bytes.CopyTo(buffer);
        return new RequestFrame(buffer, length);
    }

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
