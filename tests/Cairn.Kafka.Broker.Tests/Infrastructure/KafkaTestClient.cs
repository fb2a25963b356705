using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Cairn.Kafka.Broker.Network;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Tests.Infrastructure;

/// <summary>A raw Kafka protocol client for tests: requests written with the generated message classes.</summary>
public sealed class KafkaTestClient : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _nextCorrelationId = 1;

    private KafkaTestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<KafkaTestClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new KafkaTestClient(socket);
    }

    /// <summary>Encodes a request frame (size, header, body).</summary>
    public static byte[] Encode(ApiKey key, short version, int correlationId, IKafkaMessage body, string? clientId = "test-client")
    {
        ApiKeys.TryGetInfo(key, out var info).ShouldBeTrue();
        using var buffer = new PooledBuffer();
        buffer.Write([0, 0, 0, 0]);
        var writer = new KafkaWriter(buffer);
        new RequestHeader { RequestApiKey = (short)key, RequestApiVersion = version, CorrelationId = correlationId, ClientId = clientId }
            .Write(ref writer, info.RequestHeaderVersion(version));
        body.Write(ref writer, version);
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length - 4);
        return bytes;
    }

    /// <summary>Sends a request and returns its correlation id (without waiting for the answer).</summary>
    public async Task<int> SendAsync(ApiKey key, short version, IKafkaMessage body)
    {
        var id = _nextCorrelationId++;
        await SendRawAsync(Encode(key, version, id, body));
        return id;
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(Patience);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Reads one response frame; returns (correlation id, body bytes after a header of <paramref name="headerVersion"/>).</summary>
    public async Task<(int CorrelationId, byte[] Body)> ReceiveAsync(short headerVersion)
    {
        var frame = await ReceiveFrameAsync() ?? throw new IOException("connection closed");
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, headerVersion);
        return (header.CorrelationId, frame[reader.Position..]);
    }

    /// <summary>Reads one raw frame, or null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReceiveFrameAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        var size = new byte[4];
        if (!await ReadExactlyOrEofAsync(size, cts.Token))
        {
            return null;
        }

        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        if (!await ReadExactlyOrEofAsync(frame, cts.Token))
        {
            throw new IOException("connection closed inside a frame");
        }

        return frame;
    }

    /// <summary>True when the broker closes the connection (reads EOF) within the patience.</summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        try
        {
            return await ReceiveFrameAsync() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Sends a request and decodes the response of type <typeparamref name="TResponse"/>.</summary>
    public async Task<TResponse> RequestAsync<TResponse>(ApiKey key, short version, IKafkaMessage body)
        where TResponse : IKafkaMessage, new()
    {
        var id = await SendAsync(key, version, body);
        return await ReadResponseAsync<TResponse>(key, version, id);
    }

    /// <summary>Reads the next response, checks its correlation id and decodes it.</summary>
    public async Task<TResponse> ReadResponseAsync<TResponse>(ApiKey key, short version, int expectedCorrelationId)
        where TResponse : IKafkaMessage, new()
    {
        ApiKeys.TryGetInfo(key, out var info).ShouldBeTrue();
        var (correlationId, body) = await ReceiveAsync(info.ResponseHeaderVersion(version));
        correlationId.ShouldBe(expectedCorrelationId);
        var reader = new KafkaReader(body);
        var response = new TResponse();
        response.Read(ref reader, version);
        reader.Remaining.ShouldBe(0, "the whole response body is consumed");
        return response;
    }

    private async Task<bool> ReadExactlyOrEofAsync(byte[] buffer, CancellationToken token)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    public void Dispose() => _stream.Dispose();
}
