using System.Buffers;
using System.IO.Compression;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>gzip codec (Kafka codec 1).</summary>
internal sealed class GzipCodec : CompressionCodec
{
    public override CompressionType Type => CompressionType.Gzip;

    public override void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        using var gzip = new GZipStream(new BufferWriterStream(destination), CompressionLevel.Fastest, leaveOpen: false);
        gzip.Write(source);
    }

    public override unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength)
    {
        fixed (byte* p = source)
        {
            using var input = new UnmanagedMemoryStream(p, source.Length);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            long total = 0;
            try
            {
                while (true)
                {
                    var span = destination.GetSpan(16 * 1024);
                    var n = gzip.Read(span);
                    if (n == 0)
                    {
                        return (int)total;
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
    }
}
