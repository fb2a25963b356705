namespace Cairn.Kafka.Protocol.Compression;

/// <summary>Compression codec ids stored in record-batch attribute bits 0-2.</summary>
public enum CompressionType
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
