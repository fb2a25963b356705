using System.Buffers;
using System.Runtime.InteropServices;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>
/// LZ4 codec (Kafka codec 3): the LZ4 frame format (magic 0x184D2204) through the system liblz4, written like
/// Kafka's Java client and librdkafka: independent 64 KiB blocks, no checksums, no content size.
/// </summary>
internal sealed unsafe partial class Lz4Codec : CompressionCodec
{
    private const string Library = "liblz4.so.1";
    private const uint Lz4fVersion = 100;

    public override CompressionType Type => CompressionType.Lz4;

    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public int BlockSizeId;
        public int BlockMode;
        public int ContentChecksumFlag;
        public int FrameType;
        public ulong ContentSize;
        public uint DictId;
        public int BlockChecksumFlag;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Preferences
    {
        public FrameInfo FrameInfo;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecSpeed;
        public uint Reserved0;
        public uint Reserved1;
        public uint Reserved2;
    }

    [LibraryImport(Library)]
    private static partial nuint LZ4F_compressFrameBound(nuint srcSize, Preferences* preferences);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_compressFrame(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, Preferences* preferences);

    [LibraryImport(Library)]
    private static partial uint LZ4F_isError(nuint code);

    [LibraryImport(Library)]
    private static partial nint LZ4F_getErrorName(nuint code);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_createDecompressionContext(nint* context, uint version);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_freeDecompressionContext(nint context);

    [LibraryImport(Library)]
    private static partial nuint LZ4F_decompress(nint context, byte* dst, nuint* dstSize, byte* src, nuint* srcSize, void* options);

    private static string ErrorName(nuint code) => Marshal.PtrToStringAnsi(LZ4F_getErrorName(code)) ?? "unknown";

    private static Preferences KafkaPreferences() => new()
    {
        FrameInfo = new FrameInfo { BlockSizeId = 4 /* max64KB */, BlockMode = 1 /* independent */ },
    };

    public override void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        var preferences = KafkaPreferences();
        var bound = (int)LZ4F_compressFrameBound((nuint)source.Length, &preferences);
        var span = destination.GetSpan(bound);
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = span)
        {
            written = LZ4F_compressFrame(dst, (nuint)span.Length, src, (nuint)source.Length, &preferences);
        }

        if (LZ4F_isError(written) != 0)
        {
            throw new InvalidOperationException("LZ4F_compressFrame failed: " + ErrorName(written));
        }

        destination.Advance((int)written);
    }

    public override int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength)
    {
        nint context;
        var created = LZ4F_createDecompressionContext(&context, Lz4fVersion);
        if (LZ4F_isError(created) != 0)
        {
            throw new InvalidOperationException("LZ4F_createDecompressionContext failed: " + ErrorName(created));
        }

        try
        {
            long total = 0;
            var position = 0;
            var frameDone = source.IsEmpty;
            fixed (byte* src = source)
            {
                while (true)
                {
                    var span = destination.GetSpan(64 * 1024);
                    var dstSize = (nuint)span.Length;
                    var srcSize = (nuint)(source.Length - position);
                    nuint hint;
                    fixed (byte* dst = span)
                    {
                        hint = LZ4F_decompress(context, dst, &dstSize, src + position, &srcSize, null);
                    }

                    if (LZ4F_isError(hint) != 0)
                    {
                        throw new KafkaProtocolException("Corrupt lz4 frame: " + ErrorName(hint));
                    }

                    position += (int)srcSize;
                    total += (long)dstSize;
                    CheckLimit(total, maxDecompressedLength);
                    destination.Advance((int)dstSize);
                    frameDone = hint == 0;
                    if (position == source.Length && (frameDone || (dstSize == 0 && srcSize == 0)))
                    {
                        break;
                    }
                }
            }

            if (!frameDone)
            {
                throw new KafkaProtocolException("Truncated lz4 frame.");
            }

            return (int)total;
        }
        finally
        {
            LZ4F_freeDecompressionContext(context);
        }
    }
}
