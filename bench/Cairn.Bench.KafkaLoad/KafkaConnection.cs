using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Bench.KafkaLoad;

/// <summary>
/// One TCP connection to a broker speaking size-prefixed Kafka frames. Requests may be pipelined:
/// <see cref="SendAsync"/> and <see cref="ReceiveAsync"/> are used from one sender and one receiver
/// task, and responses come back in request order (Kafka's per-connection guarantee).
/// </summary>
internal sealed class KafkaConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _receiveBuffer = new byte[1 << 20];
    private int _nextCorrelationId;

    private KafkaConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<KafkaConnection> ConnectAsync(string bootstrap, CancellationToken cancellationToken)
    {
        var separator = bootstrap.LastIndexOf(':');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 4 << 20, ReceiveBufferSize = 4 << 20 };
        await socket.ConnectAsync(bootstrap[..separator], int.Parse(bootstrap[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return new KafkaConnection(socket);
    }

    /// <summary>Encodes a request frame once; <see cref="SetCorrelationId"/> reuses it for every send.</summary>
    public static byte[] Encode(ApiKey apiKey, short apiVersion, IKafkaMessage body)
    {
        var output = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteRequest(output, new RequestHeader { RequestApiKey = (short)apiKey, RequestApiVersion = apiVersion, CorrelationId = 0, ClientId = "cairn-bench" }, body);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Correlation id sits after size (4), api key (2) and api version (2).</summary>
    public int SetCorrelationId(byte[] frame)
    {
        var id = ++_nextCorrelationId;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), id);
        return id;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => _stream.WriteAsync(frame, cancellationToken);

    /// <summary>Reads one response frame; returns its body (after a v0 response header), valid until the next receive.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(int expectedCorrelationId, CancellationToken cancellationToken)
    {
        await _stream.ReadExactlyAsync(_receiveBuffer.AsMemory(0, 4), cancellationToken);
        var size = BinaryPrimitives.ReadInt32BigEndian(_receiveBuffer);
        if (size > _receiveBuffer.Length)
        {
            _receiveBuffer = new byte[Math.Max(size, _receiveBuffer.Length * 2)];
        }

        await _stream.ReadExactlyAsync(_receiveBuffer.AsMemory(0, size), cancellationToken);
        var correlationId = BinaryPrimitives.ReadInt32BigEndian(_receiveBuffer);
        if (correlationId != expectedCorrelationId)
        {
            throw new InvalidOperationException($"response correlation id {correlationId}, expected {expectedCorrelationId}");
        }

        return _receiveBuffer.AsMemory(4, size - 4);
    }

    /// <summary>Sends one request and decodes its response (not for pipelined use).</summary>
    public async Task<TResponse> RoundTripAsync<TResponse>(ApiKey apiKey, short apiVersion, IKafkaMessage request, CancellationToken cancellationToken)
        where TResponse : IKafkaMessage, new()
    {
        var frame = Encode(apiKey, apiVersion, request);
        var id = SetCorrelationId(frame);
        await SendAsync(frame, cancellationToken);
        var body = await ReceiveAsync(id, cancellationToken);
        return Decode<TResponse>(body, apiVersion);
    }

    public static TResponse Decode<TResponse>(ReadOnlyMemory<byte> body, short apiVersion)
        where TResponse : IKafkaMessage, new()
    {
        var reader = new KafkaReader(body);
        var response = new TResponse();
        response.Read(ref reader, apiVersion);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
