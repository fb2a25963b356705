using System.Buffers;
using System.Buffers.Binary;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>
/// Snappy codec (Kafka codec 2). The Java client writes xerial/snappy-java framing (magic, version, compatible
/// version, then big-endian length-prefixed raw blocks); librdkafka writes one raw block. Both are accepted.
/// </summary>
internal sealed class SnappyCodec(bool xerialFraming) : CompressionCodec
{
    /// <summary>xerial header magic: 0x82 'SNAPPY' 0x00.</summary>
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private const int XerialHeaderLength = 16;
    private const int XerialChunkSize = 32 * 1024;

    public override CompressionType Type => CompressionType.Snappy;

    public override void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (!xerialFraming)
        {
            Write(destination, IronSnappy.Snappy.Encode(source));
            return;
        }

        var header = destination.GetSpan(XerialHeaderLength);
        XerialMagic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], 1);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], 1);
        destination.Advance(XerialHeaderLength);
        while (!source.IsEmpty)
        {
            var chunk = source[..Math.Min(source.Length, XerialChunkSize)];
            var block = IronSnappy.Snappy.Encode(chunk);
            var prefix = destination.GetSpan(4);
            BinaryPrimitives.WriteInt32BigEndian(prefix, block.Length);
            destination.Advance(4);
            Write(destination, block);
            source = source[chunk.Length..];
        }
    }

    private static void Write(IBufferWriter<byte> destination, ReadOnlySpan<byte> bytes)
    {
        var span = destination.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        destination.Advance(bytes.Length);
    }

    public override int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength)
    {
        if (source.Length < XerialHeaderLength || !source.StartsWith(XerialMagic))
        {
            return DecodeBlock(source, destination, maxDecompressedLength);
        }

        long total = 0;
        var position = XerialHeaderLength;
        while (position < source.Length)
        {
            if (source.Length - position < 4)
            {
                throw new KafkaProtocolException("Truncated xerial snappy chunk length.");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(source[position..]);
            position += 4;
            if (length < 0 || length > source.Length - position)
            {
                throw new KafkaProtocolException($"xerial snappy chunk length {length} exceeds the {source.Length - position} bytes left.");
            }

            total += DecodeBlock(source.Slice(position, length), destination, (int)Math.Max(0, maxDecompressedLength - total));
            position += length;
        }

        return (int)total;
    }

    private static int DecodeBlock(ReadOnlySpan<byte> block, IBufferWriter<byte> destination, int max)
    {
        // The block starts with its decoded length; check it before the decoder allocates that much.
        var position = 0;
        var decodedLength = VarInt.ReadUInt32(block, ref position);
        CheckLimit(decodedLength, max);
        byte[] decoded;
        try
        {
            decoded = IronSnappy.Snappy.Decode(block);
        }
        catch (Exception e) when (e is not KafkaProtocolException and not OutOfMemoryException)
        {
            // IronSnappy signals corrupt input with several exception types (IOException, index errors).
            throw new KafkaProtocolException("Corrupt snappy data: " + e.Message, e);
        }

        Write(destination, decoded);
        return decoded.Length;
    }
}
