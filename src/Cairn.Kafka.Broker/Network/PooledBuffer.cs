using System.Buffers;

namespace Cairn.Kafka.Broker.Network;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}"/>; an <see cref="IBufferWriter{T}"/>.</summary>
public sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _length;

    public PooledBuffer(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Writable access to bytes already written (to patch a length prefix).</summary>
    public Span<byte> WrittenSpanForPatch => _buffer.AsSpan(0, _length);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > _buffer.Length)
        {
            throw new InvalidOperationException("advanced past the buffer");
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Reset() => _length = 0;

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 1);
        if (need <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(need, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _length = 0;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}
