using System.Buffers;
using System.Buffers.Binary;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Protocol;

/// <summary>
/// Size-prefixed Kafka frames: <c>int32 size</c> + header + body. Header versions follow the API version table
/// (<see cref="ApiKeyInfo.RequestHeaderVersion"/>, <see cref="ApiKeyInfo.ResponseHeaderVersion"/>).
/// </summary>
public static class KafkaFrames
{
    /// <summary>Bytes of the size prefix.</summary>
    public const int SizePrefixLength = 4;

    /// <summary>
    /// Reads the api key and version at the start of a request frame (after the size prefix) without consuming it.
    /// False when fewer than 4 bytes are present.
    /// </summary>
    public static bool TryPeekApiKeyAndVersion(ReadOnlySpan<byte> frame, out short apiKey, out short apiVersion)
    {
        if (frame.Length < 4)
        {
            apiKey = apiVersion = 0;
            return false;
        }

        apiKey = BinaryPrimitives.ReadInt16BigEndian(frame);
        apiVersion = BinaryPrimitives.ReadInt16BigEndian(frame[2..]);
        return true;
    }

    /// <summary>
    /// Request header version for a frame's api key and version. Unknown keys are parsed as header v1, which every
    /// non-flexible request uses (the caller still rejects them).
    /// </summary>
    public static short RequestHeaderVersion(short apiKey, short apiVersion) =>
        ApiKeys.TryGetInfo((ApiKey)apiKey, out var info) ? info.RequestHeaderVersion(apiVersion) : (short)1;

    /// <summary>Reads the request header of a frame (without size prefix); the reader is left at the body.</summary>
    public static RequestHeader ReadRequestHeader(ref KafkaReader reader)
    {
        if (!TryPeekApiKeyAndVersion(reader.UnreadSpan, out var key, out var version))
        {
            throw new KafkaProtocolException("Request frame is shorter than its header.");
        }

        var header = new RequestHeader();
        header.Read(ref reader, RequestHeaderVersion(key, version));
        return header;
    }

    /// <summary>Writes a complete request frame: size, header (version from the table), body.</summary>
    public static void WriteRequest(IBufferWriter<byte> output, RequestHeader header, IKafkaMessage body)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        var headerVersion = RequestHeaderVersion(header.RequestApiKey, header.RequestApiVersion);
        var counter = KafkaWriter.CreateCounting();
        header.Write(ref counter, headerVersion);
        body.Write(ref counter, header.RequestApiVersion);

        var writer = new KafkaWriter(output);
        writer.WriteInt32(counter.BytesWritten);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, header.RequestApiVersion);
        writer.Flush();
    }

    /// <summary>
    /// Writes a complete response frame: size, response header (v0, or v1 with an empty tagged-field section for
    /// flexible versions other than ApiVersions), body at <paramref name="apiVersion"/>. Returns the frame size.
    /// </summary>
    public static int WriteResponse(IBufferWriter<byte> output, ApiKey apiKey, short apiVersion, int correlationId, IKafkaMessage body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var headerVersion = ApiKeys.TryGetInfo(apiKey, out var info) ? info.ResponseHeaderVersion(apiVersion) : (short)0;
        var counter = KafkaWriter.CreateCounting();
        body.Write(ref counter, apiVersion);
        var size = counter.BytesWritten + (headerVersion == 0 ? 4 : 5);

        var writer = new KafkaWriter(output);
        writer.WriteInt32(size);
        writer.WriteInt32(correlationId);
        if (headerVersion >= 1)
        {
            writer.WriteUnsignedVarInt(0);
        }

        body.Write(ref writer, apiVersion);
        writer.Flush();
        return size + SizePrefixLength;
    }
}
