using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Kafka.Broker.Network;

public sealed partial class ClientConnection
{
    private const int EAGAIN = 11;
    private const int EINTR = 4;

    private async Task SendAsync(ResponseFrame response, CancellationToken cancellationToken)
    {
        foreach (var part in response.Parts)
        {
            if (part.Buffer is { } buffer)
            {
                await SendAllAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            else if (part.File is { } file && part.FileCount > 0)
            {
                await SendFileRegionAsync(file, part.FileOffset, part.FileCount, cancellationToken).ConfigureAwait(false);
            }
        }

        _metrics.BytesOut(response.TotalLength);
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (sent <= 0)
            {
                throw new IOException("connection closed while sending");
            }

            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Sends a file region with sendfile(2) (page cache → socket, no user-space copy). The socket is
    /// non-blocking, so sendfile stops with EAGAIN when the socket buffer is full; then we wait until
    /// it is writable again and continue, falling back to a pooled-buffer copy if it stays full.
    /// </summary>
    private async Task SendFileRegionAsync(SafeFileHandle file, long offset, int count, CancellationToken cancellationToken)
    {
        var remaining = count;
        if (OperatingSystem.IsLinux() && s_sendFileWorks)
        {
            var socketFd = (int)_socket.SafeHandle.DangerousGetHandle();
            var fileFd = (int)file.DangerousGetHandle();
            var spins = 0;
            while (remaining > 0)
            {
                var position = offset + (count - remaining);
                var sent = SendFile(socketFd, fileFd, ref position, (nuint)remaining);
                if (sent > 0)
                {
                    remaining -= (int)sent;
                    _metrics.SendFileBytes(sent);
                    spins = 0;
                    continue;
                }

                if (sent == 0)
                {
                    break; // file shorter than expected: fall back to copying (which will fail loudly)
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue;
                }

                if (errno != EAGAIN || ++spins > 200)
                {
                    if (errno != EAGAIN)
                    {
                        s_sendFileWorks = false; // e.g. EINVAL on an unsupported file system: copy from now on
                    }

                    break;
                }

                // Socket buffer full: wait until it is writable without blocking a thread.
                await WaitWritableAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (remaining > 0)
        {
            await CopyFileRegionAsync(file, offset + (count - remaining), remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitWritableAsync(CancellationToken cancellationToken)
    {
        // Socket.Poll blocks; poll in short slices on the thread pool so shutdown stays responsive.
        while (!_socket.Poll(TimeSpan.Zero, SelectMode.SelectWrite))
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyFileRegionAsync(SafeFileHandle file, long offset, int count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(count, 1 << 20));
        try
        {
            while (count > 0)
            {
                var chunk = Math.Min(count, buffer.Length);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, chunk), offset, cancellationToken).ConfigureAwait(false);
                if (read <= 0)
                {
                    throw new IOException("log segment ended before the fetched region");
                }

                await SendAllAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                offset += read;
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static volatile bool s_sendFileWorks = true;

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFile(int outFd, int inFd, ref long offset, nuint count);
}
