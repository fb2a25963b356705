using System.Buffers;
using System.Runtime.InteropServices;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>
/// Zstandard codec (Kafka codec 4) through the system libzstd. Decompression is streaming because Kafka producers
/// write frames without a content size.
/// </summary>
internal sealed unsafe partial class ZstdCodec : CompressionCodec
{
    private const string Library = "libzstd.so.1";

    /// <summary>librdkafka's and Kafka's default level.</summary>
    private const int CompressionLevel = 3;

    public override CompressionType Type => CompressionType.Zstd;

    [StructLayout(LayoutKind.Sequential)]
    private struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Library)]
    private static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int level);

    [LibraryImport(Library)]
    private static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    private static partial nint ZSTD_getErrorName(nuint code);

    [LibraryImport(Library)]
    private static partial nint ZSTD_createDCtx();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_freeDCtx(nint context);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_decompressStream(nint context, OutBuffer* output, InBuffer* input);

    private static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(ZSTD_getErrorName(code)) ?? "unknown";

    public override void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var bound = (int)ZSTD_compressBound((nuint)source.Length);
        var span = destination.GetSpan(bound);
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = span)
        {
            written = ZSTD_compress(dst, (nuint)span.Length, src, (nuint)source.Length, CompressionLevel);
        }

        if (ZSTD_isError(written) != 0)
        {
            throw new InvalidOperationException("ZSTD_compress failed: " + ErrorName(written));
        }

        destination.Advance((int)written);
    }

    public override int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength)
    {
        if (source.IsEmpty)
        {
            throw new KafkaProtocolException("Empty zstd input.");
        }

        var context = ZSTD_createDCtx();
        if (context == 0)
        {
            throw new OutOfMemoryException("ZSTD_createDCtx failed.");
        }

        try
        {
            long total = 0;
            fixed (byte* src = source)
            {
                var input = new InBuffer { Src = src, Size = (nuint)source.Length, Pos = 0 };
                while (true)
                {
                    var span = destination.GetSpan(64 * 1024);
                    nuint result;
                    OutBuffer output;
                    fixed (byte* dst = span)
                    {
                        output = new OutBuffer { Dst = dst, Size = (nuint)span.Length, Pos = 0 };
                        result = ZSTD_decompressStream(context, &output, &input);
                    }

                    if (ZSTD_isError(result) != 0)
                    {
                        throw new KafkaProtocolException("Corrupt zstd data: " + ErrorName(result));
                    }

                    total += (long)output.Pos;
                    CheckLimit(total, maxDecompressedLength);
                    destination.Advance((int)output.Pos);
                    var inputDone = input.Pos == input.Size;
                    if (result == 0 && inputDone)
                    {
                        return (int)total;
                    }

                    if (inputDone && output.Pos < output.Size)
                    {
                        // The decoder wants more input than there is and has nothing buffered to flush.
                        throw new KafkaProtocolException("Truncated zstd frame.");
                    }
                }
            }
        }
        finally
        {
            ZSTD_freeDCtx(context);
        }
    }
}
