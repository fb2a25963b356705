using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Cairn.Kafka.Broker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Network;

/// <summary>
/// One client TCP connection: reads size-prefixed frames ahead (pipelining) into a bounded queue,
/// processes them one at a time in order (as Kafka does by muting a channel), and writes each
/// response before the next request is processed, so answers are always in request order.
/// </summary>
public sealed partial class ClientConnection
{
    /// <summary>Frames read ahead of processing; bounded so a flood cannot exhaust memory.</summary>
    private const int ReadAheadFrames = 32;

    private readonly Socket _socket;
    private readonly IRequestProcessor _processor;
    private readonly int _maxRequestBytes;
    private readonly ILogger _logger;
    private readonly BrokerMetrics _metrics;

    internal ClientConnection(long id, Socket socket, IRequestProcessor processor, int maxRequestBytes, BrokerMetrics metrics, ILogger logger)
    {
        Id = id;
        _socket = socket;
        _processor = processor;
        _maxRequestBytes = maxRequestBytes;
        _metrics = metrics;
        _logger = logger;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
    }

    /// <summary>A process-unique connection number.</summary>
    public long Id { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The client_id of the latest request (for logs and group membership).</summary>
    public string? ClientId { get; set; }

    /// <summary>Serves the connection until the peer closes it, a fatal frame arrives, or shutdown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = Channel.CreateBounded<RequestFrame>(new BoundedChannelOptions(ReadAheadFrames)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stream = new NetworkStream(_socket, ownsSocket: false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        var reading = ReadFramesAsync(reader, frames.Writer, cts.Token);
        var processing = ProcessFramesAsync(frames.Reader, cts.Token);
        await Task.WhenAny(reading, processing).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Close();
        await Task.WhenAll(Swallow(reading), Swallow(processing)).ConfigureAwait(false);
        await reader.CompleteAsync().ConfigureAwait(false);
        while (frames.Reader.TryRead(out var left))
        {
            left.Dispose();
        }
    }

    private async Task ReadFramesAsync(PipeReader reader, ChannelWriter<RequestFrame> frames, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                int? oversized;
                while (TryReadFrame(ref buffer, out var frame, out oversized))
                {
                    _metrics.BytesIn(frame.Length + 4);
                    await frames.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }

                if (oversized is { } size)
                {
                    Log.OversizedFrame(_logger, Id, size, _maxRequestBytes);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty)
                    {
                        Log.TruncatedFrame(_logger, Id, buffer.Length);
                    }

                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            failure = null;
        }
        finally
        {
            frames.TryComplete(failure);
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out RequestFrame frame, out int? oversized)
    {
        frame = null!;
        oversized = null;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size < 0 || size > _maxRequestBytes)
        {
            oversized = size;
            return false;
        }

        if (buffer.Length < 4L + size)
        {
            return false;
        }

        frame = RequestFrame.CopyFrom(buffer.Slice(4, size));
        buffer = buffer.Slice(4L + size);
        return true;
    }

    private async Task ProcessFramesAsync(ChannelReader<RequestFrame> frames, CancellationToken cancellationToken)
    {
        await foreach (var frame in frames.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            RequestResult result;
            try
            {
                result = await _processor.ProcessAsync(this, frame, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                frame.Dispose();
            }

            if (result.Response is { } response)
            {
                using (response)
                {
                    await SendAsync(response, cancellationToken).ConfigureAwait(false);
                }
            }

            if (result.CloseConnection)
            {
                return;
            }
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
        }
    }
}
