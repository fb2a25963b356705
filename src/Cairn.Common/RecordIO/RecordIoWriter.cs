using System.Buffers;
using System.Buffers.Text;

namespace Cairn.Common;

/// <summary>Writes RecordIO frames: <c>&lt;decimal length&gt;\n&lt;bytes&gt;</c> (mesos.md §2.2).</summary>
public static class RecordIoWriter
{
    /// <summary>Longest header: 20 digits of a uint64 and the newline.</summary>
    public const int MaxHeaderLength = 21;

    /// <summary>Writes the header for a record of <paramref name="length"/> bytes; returns the bytes written.</summary>
    public static int WriteHeader(Span<byte> destination, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (!Utf8Formatter.TryFormat(length, destination, out var written) || written >= destination.Length)
        {
            throw new ArgumentException("Destination too small for a RecordIO header.", nameof(destination));
        }

        destination[written] = (byte)'\n';
        return written + 1;
    }

    /// <summary>Writes one frame to <paramref name="output"/> without allocating.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> record)
    {
        var span = output.GetSpan(MaxHeaderLength + record.Length);
        var header = WriteHeader(span, record.Length);
        record.CopyTo(span[header..]);
        output.Advance(header + record.Length);
    }

    /// <summary>Writes one frame to a stream (header and body in one write).</summary>
    public static async ValueTask WriteAsync(Stream stream, ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHeaderLength + record.Length);
        try
        {
            var header = WriteHeader(buffer, record.Length);
            record.Span.CopyTo(buffer.AsSpan(header));
            await stream.WriteAsync(buffer.AsMemory(0, header + record.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
