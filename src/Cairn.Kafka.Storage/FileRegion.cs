using Microsoft.Win32.SafeHandles;

namespace Cairn.Kafka.Storage;

/// <summary>
/// A run of whole record batches inside a segment file: the broker sends it with sendfile
/// (<c>Socket.SendFile</c> / <c>RandomAccess.Read</c>) without copying through managed buffers.
/// The handle stays valid for at least <c>file.delete.delay.ms</c> after the segment is deleted or
/// replaced, so a fetch in flight finishes; do not dispose it.
/// </summary>
public readonly record struct FileRegion(SafeFileHandle Handle, long Position, int Length)
{
    /// <summary>True when the region holds no bytes (nothing to send).</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>Copies the region into <paramref name="destination"/> (which must hold <see cref="Length"/> bytes).</summary>
    public int CopyTo(Span<byte> destination)
    {
        if (Length == 0)
        {
            return 0;
        }

        var total = 0;
        while (total < Length)
        {
            var n = RandomAccess.Read(Handle, destination.Slice(total, Length - total), Position + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>Copies the region into a new array (tests and tools; the broker sends the region instead).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var n = CopyTo(bytes);
        return n == Length ? bytes : bytes[..n];
    }
}
