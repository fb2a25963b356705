using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>gzip codec (Kafka codec 1).</summary>
internal sealed class GzipCodec : CompressionCodec
{
    /// <summary>A complete gzip member of zero bytes (GZipStream writes nothing at all for empty input).</summary>
    private static ReadOnlySpan<byte> EmptyMember =>
        [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    private const int MinimumMemberLength = 18;

    public override CompressionType Type => CompressionType.Gzip;

    public override void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            EmptyMember.CopyTo(destination.GetSpan(EmptyMember.Length));
            destination.Advance(EmptyMember.Length);
            return;
        }

        using var gzip = new GZipStream(new BufferWriterStream(destination), CompressionLevel.Fastest, leaveOpen: false);
        gzip.Write(source);
    }

    public override unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength)
    {
        if (source.Length < MinimumMemberLength)
        {
            throw new KafkaProtocolException($"gzip data of {source.Length} bytes is shorter than a gzip member.");
        }

        long total = 0;
        fixed (byte* p = source)
        {
            using var input = new UnmanagedMemoryStream(p, source.Length);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            try
            {
                while (true)
                {
                    var span = destination.GetSpan(16 * 1024);
                    var n = gzip.Read(span);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                    CheckLimit(total, maxDecompressedLength);
                    destination.Advance(n);
                }
            }
            catch (InvalidDataException e)
            {
                throw new KafkaProtocolException("Corrupt gzip data: " + e.Message, e);
            }
        }

        // GZipStream reports a truncated stream as a clean end; the trailer's ISIZE (length mod 2^32) catches it.
        // Kafka producers write a single gzip member, so the trailer at the end describes all of the output.
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]) != (uint)total)
        {
            throw new KafkaProtocolException("Truncated or corrupt gzip data: the trailer length does not match.");
        }

        return (int)total;
    }
}
