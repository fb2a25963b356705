using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cairn.Kafka.Broker.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Network;

/// <summary>Accepts TCP connections on one PLAINTEXT listener and serves each with a <see cref="ClientConnection"/>.</summary>
public sealed class KafkaListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly IRequestProcessor _processor;
    private readonly int _maxRequestBytes;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;
    private long _nextConnectionId;

    private KafkaListener(Socket socket, IRequestProcessor processor, int maxRequestBytes, BrokerMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _processor = processor;
        _maxRequestBytes = maxRequestBytes;
        _metrics = metrics;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address (port resolved when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds (and listens) without accepting yet; call <see cref="StartAccepting"/>.</summary>
    public static KafkaListener Bind(IPEndPoint endPoint, IRequestProcessor processor, int maxRequestBytes, BrokerMetrics metrics, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new KafkaListener(socket, processor, maxRequestBytes, metrics, logger);
    }

    /// <summary>Starts accepting connections.</summary>
    public void StartAccepting() => _acceptLoop ??= AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // e.g. EMFILE: keep accepting once resources free up
                Log.AcceptFailed(_logger, e.SocketErrorCode.ToString());
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new ClientConnection(id, client, _processor, _maxRequestBytes, _metrics, _logger);
            _connections[id] = ServeAsync(connection, token);
        }
    }

    private async Task ServeAsync(ClientConnection connection, CancellationToken token)
    {
        await Task.Yield();
        _metrics.ConnectionOpened();
        try
        {
            await connection.RunAsync(token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in a handler must not take the broker down: close this connection and log it.
            Log.ConnectionFailed(_logger, connection.Id, e);
        }
        finally
        {
            _metrics.ConnectionClosed();
            _connections.TryRemove(connection.Id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
