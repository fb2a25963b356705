using System.Buffers;

namespace Cairn.Kafka.Protocol.Compression;

/// <summary>
/// A record-batch compression codec as Kafka clients use it (attribute bits 0-2). Decoders throw only
/// <see cref="KafkaProtocolException"/> for corrupt input and never produce more than the requested maximum.
/// </summary>
public abstract class CompressionCodec
{
    /// <summary>Default cap on decompressed output, so that a small hostile batch cannot exhaust memory.</summary>
    public const int DefaultMaxDecompressedLength = 256 * 1024 * 1024;

    /// <summary>gzip (RFC 1952) via System.IO.Compression.</summary>
    public static CompressionCodec Gzip { get; } = new GzipCodec();

    /// <summary>Snappy; compresses with xerial framing (like the Java client), decompresses framed and raw blocks.</summary>
    public static CompressionCodec Snappy { get; } = new SnappyCodec(xerialFraming: true);

    /// <summary>Snappy raw block format (what librdkafka writes); decompresses framed and raw blocks.</summary>
    public static CompressionCodec SnappyRaw { get; } = new SnappyCodec(xerialFraming: false);

    /// <summary>LZ4 frame format via the system liblz4.</summary>
    public static CompressionCodec Lz4 { get; } = new Lz4Codec();

    /// <summary>Zstandard via the system libzstd; streaming decompression (frames may lack a content size).</summary>
    public static CompressionCodec Zstd { get; } = new ZstdCodec();

    /// <summary>The codec for <paramref name="type"/>; throws <see cref="KafkaProtocolException"/> for unknown ids and None.</summary>
    public static CompressionCodec Get(CompressionType type) => type switch
    {
        CompressionType.Gzip => Gzip,
        CompressionType.Snappy => Snappy,
        CompressionType.Lz4 => Lz4,
        CompressionType.Zstd => Zstd,
        _ => throw new KafkaProtocolException($"Unknown compression codec {(int)type}."),
    };

    /// <summary>The codec id stored in batch attributes.</summary>
    public abstract CompressionType Type { get; }

    /// <summary>Compresses <paramref name="source"/> and appends the result to <paramref name="destination"/>.</summary>
    public abstract void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination);

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="destination"/> and returns the number of bytes
    /// written; throws <see cref="KafkaProtocolException"/> when the input is corrupt or the output would exceed
    /// <paramref name="maxDecompressedLength"/>.
    /// </summary>
    public abstract int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxDecompressedLength = DefaultMaxDecompressedLength);

    private protected static void CheckLimit(long total, int max)
    {
        if (total > max)
        {
            throw new KafkaProtocolException($"Decompressed data exceeds the limit of {max} bytes.");
        }
    }
}
