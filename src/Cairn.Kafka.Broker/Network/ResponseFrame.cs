using Microsoft.Win32.SafeHandles;

namespace Cairn.Kafka.Broker.Network;

/// <summary>
/// A response ready to send: the size prefix, header and body in a pooled buffer, optionally followed
/// by file regions (record data sent with sendfile) and more buffered bytes, in order.
/// </summary>
public sealed class ResponseFrame : IDisposable
{
    private readonly List<ResponsePart> _parts = [];

    public ResponseFrame(PooledBuffer head)
    {
        _parts.Add(ResponsePart.FromBuffer(head));
    }

    /// <summary>Parts in sending order.</summary>
    public IReadOnlyList<ResponsePart> Parts => _parts;

    /// <summary>Total bytes including the size prefix.</summary>
    public long TotalLength
    {
        get
        {
            long n = 0;
            foreach (var p in _parts)
            {
                n += p.Length;
            }

            return n;
        }
    }

    /// <summary>Appends bytes of a file to send without copying through user space.</summary>
    public void AddFileRegion(SafeFileHandle file, long offset, int count, IDisposable? lease) =>
        _parts.Add(ResponsePart.FromFile(file, offset, count, lease));

    /// <summary>Appends more buffered bytes.</summary>
    public void AddBuffer(PooledBuffer buffer) => _parts.Add(ResponsePart.FromBuffer(buffer));

    public void Dispose()
    {
        foreach (var p in _parts)
        {
            p.Dispose();
        }

        _parts.Clear();
    }
}

/// <summary>One contiguous piece of a response: buffered bytes, or a region of a file.</summary>
public sealed class ResponsePart : IDisposable
{
    private ResponsePart(PooledBuffer? buffer, SafeFileHandle? file, long offset, int count, IDisposable? lease)
    {
        Buffer = buffer;
        File = file;
        FileOffset = offset;
        FileCount = count;
        Lease = lease;
    }

    public PooledBuffer? Buffer { get; }

    public SafeFileHandle? File { get; }

    public long FileOffset { get; }

    public int FileCount { get; }

    /// <summary>Keeps the file (segment) alive until sent; disposed with the part.</summary>
    public IDisposable? Lease { get; }

    public long Length => Buffer?.Length ?? FileCount;

    public static ResponsePart FromBuffer(PooledBuffer buffer) => new(buffer, null, 0, 0, null);

    public static ResponsePart FromFile(SafeFileHandle file, long offset, int count, IDisposable? lease) => new(null, file, offset, count, lease);

    public void Dispose()
    {
        Buffer?.Dispose();
        Lease?.Dispose();
    }
}
