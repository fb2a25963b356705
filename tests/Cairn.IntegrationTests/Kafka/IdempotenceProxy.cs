using System.Net;
using System.Net.Sockets;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>
/// A loopback TCP proxy in front of a broker that cuts connections right after forwarding a large client request
/// (a Produce) to the broker: the broker appends the batch, but the client never sees the answer and must retry it.
/// That is the situation the idempotent producer's duplicate detection exists for.
/// </summary>
public sealed class ConnectionCuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly int _cutEvery;
    private readonly int _maxCuts;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _largeRequests;
    private int _cuts;

    /// <param name="port">Port to listen on (the broker advertises it, so every client connection goes through here).</param>
    /// <param name="targetPort">The broker's real port.</param>
    /// <param name="cutEvery">Cut after every n-th large client-to-broker chunk.</param>
    /// <param name="maxCuts">Stop cutting after this many, so that the producer can finish.</param>
    public ConnectionCuttingProxy(int port, int targetPort, int cutEvery, int maxCuts)
    {
        _targetPort = targetPort;
        _cutEvery = cutEvery;
        _maxCuts = maxCuts;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>How many connections were cut.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, linked.Token);
            var cut = new CutFlag();
            var up = PumpAsync(client.GetStream(), server.GetStream(), cut, toBroker: true, linked);
            var down = PumpAsync(server.GetStream(), client.GetStream(), cut, toBroker: false, linked);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // a cut or a closed peer
        }
        finally
        {
            await linked.CancelAsync();
            client.Dispose();
        }
    }

    private sealed class CutFlag
    {
        public volatile bool IsSet;
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CutFlag cut, bool toBroker, CancellationTokenSource connection)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(buffer, connection.Token);
            if (n == 0 || cut.IsSet)
            {
                // Once cut, nothing more reaches the client: the answer to the last request is lost.
                return;
            }

            var cutNow = toBroker && n > 1000 && Interlocked.Increment(ref _largeRequests) % _cutEvery == 0 && Interlocked.Increment(ref _cuts) <= _maxCuts;
            if (cutNow)
            {
                cut.IsSet = true;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), connection.Token);
            if (cutNow)
            {
                // The broker gets the request (and appends it) while its answer is dropped; then the connection goes.
                await Task.Delay(300, connection.Token);
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}
