using System.Buffers.Binary;
using System.Diagnostics;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Network;
using Cairn.Kafka.Broker.Telemetry;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Dispatch;

/// <summary>
/// Parses request headers, routes each request to its registered <see cref="ApiHandler"/>, and writes
/// the response with the right response header version (v1 for flexible versions, v0 otherwise and
/// always for ApiVersions). Unknown API keys, unsupported versions (except ApiVersions) and malformed
/// requests close the connection, as Kafka does.
/// </summary>
public sealed class RequestDispatcher : IRequestProcessor
{
    private readonly ApiHandlerTable _table;
    private readonly BrokerMetrics _metrics;
    private readonly ILogger _logger;

    public RequestDispatcher(ApiHandlerTable table, BrokerMetrics metrics, ILogger logger)
    {
        _table = table;
        _metrics = metrics;
        _logger = logger;
    }

    public async ValueTask<RequestResult> ProcessAsync(ClientConnection connection, RequestFrame frame, CancellationToken cancellationToken)
    {
        var bytes = frame.Memory;
        if (bytes.Length < 8)
        {
            return Reject(connection, "request shorter than a header");
        }

        var apiKey = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(bytes.Span);
        var apiVersion = BinaryPrimitives.ReadInt16BigEndian(bytes.Span[2..]);
        if (!ApiKeys.TryGetInfo(apiKey, out var info))
        {
            return Reject(connection, $"unknown API key {(short)apiKey}");
        }

        RequestHeader header;
        int headerLength;
        try
        {
            var reader = new KafkaReader(bytes);
            header = new RequestHeader();
            header.Read(ref reader, info.RequestHeaderVersion(apiVersion));
            headerLength = reader.Position;
        }
        catch (KafkaProtocolException e)
        {
            return Reject(connection, "malformed request header: " + e.Message);
        }

        connection.ClientId = header.ClientId;
        var registration = _table.Find(apiKey);
        if (registration is null || apiVersion < registration.MinVersion || apiVersion > registration.MaxVersion)
        {
            if (apiKey == ApiKey.ApiVersions)
            {
                // KIP-511: answer an unknown ApiVersions version with a v0 body, error 35 and our table.
                _metrics.RequestError("unsupported_api_versions_version");
                return RequestResult.Send(WriteResponse(header.CorrelationId, 0, BuildApiVersions(KafkaErrorCode.UnsupportedVersion), 0));
            }

            return Reject(connection, $"{apiKey} v{apiVersion} is not supported");
        }

        var context = new RequestContext(apiKey, apiVersion, header.CorrelationId, header.ClientId, bytes[headerLength..], connection);
        var started = Stopwatch.GetTimestamp();
        ApiResult result;
        try
        {
            result = await registration.Handler(context, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaProtocolException e)
        {
            return Reject(connection, $"malformed {apiKey} v{apiVersion} request: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RequestResult.Close;
        }
        catch (Exception e)
        {
            // A handler bug: log it and drop this connection only; the broker keeps serving.
            Log.HandlerFailed(_logger, info.Name, apiVersion, connection.Id, e);
            _metrics.RequestError("handler_failed");
            return RequestResult.Close;
        }

        _metrics.Request(info.Name, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (result.FrameBuilder is { } build)
        {
            return new RequestResult(build(context), result.CloseConnection);
        }

        if (result.Message is { } message)
        {
            return new RequestResult(WriteResponse(header.CorrelationId, info.ResponseHeaderVersion(apiVersion), message, apiVersion), result.CloseConnection);
        }

        return new RequestResult(null, result.CloseConnection);
    }

    /// <summary>The ApiVersions body listing every registered API (also used by the ApiVersions handler).</summary>
    public ApiVersionsResponse BuildApiVersions(short errorCode)
    {
        var response = new ApiVersionsResponse { ErrorCode = errorCode };
        foreach (var r in _table.All)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)r.Key, MinVersion = r.MinVersion, MaxVersion = r.MaxVersion });
        }

        return response;
    }

    /// <summary>Serialises a size-prefixed response: header (v0 or v1) then body.</summary>
    public static ResponseFrame WriteResponse(int correlationId, short headerVersion, IKafkaMessage body, short bodyVersion)
    {
        var buffer = new PooledBuffer();
        try
        {
            buffer.Write([0, 0, 0, 0]);
            var writer = new KafkaWriter(buffer);
            new ResponseHeader { CorrelationId = correlationId }.Write(ref writer, headerVersion);
            body.Write(ref writer, bodyVersion);
            writer.Flush();
            BinaryPrimitives.WriteInt32BigEndian(buffer.WrittenSpanForPatch, buffer.Length - 4);
            return new ResponseFrame(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private RequestResult Reject(ClientConnection connection, string reason)
    {
        Log.BadRequest(_logger, connection.Id, reason);
        _metrics.RequestError("rejected");
        return RequestResult.Close;
    }
}
