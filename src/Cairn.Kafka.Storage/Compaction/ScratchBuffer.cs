namespace Cairn.Kafka.Storage.Compaction;

/// <summary>A reusable, growing byte buffer for rebuilding one batch at a time.</summary>
internal sealed class ScratchBuffer
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    /// <summary>The bytes written so far (writable, so a header can be filled in afterwards).</summary>
    public Span<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Starts over with <paramref name="reserved"/> zeroed bytes at the front.</summary>
    public void Reset(int reserved)
    {
        Ensure(reserved);
        _buffer.AsSpan(0, reserved).Clear();
        _length = reserved;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(_length + bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int size)
    {
        if (size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(size, _buffer.Length * 2));
        }
    }
}
