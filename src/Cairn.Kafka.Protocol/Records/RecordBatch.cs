using System.Buffers;
using Cairn.Kafka.Protocol.Compression;

namespace Cairn.Kafka.Protocol.Records;

/// <summary>
/// A view over exactly one magic-v2 record batch: its <see cref="RecordBatchHeader"/>, its (possibly compressed)
/// records section, and allocation-free record iteration.
/// </summary>
public readonly ref struct RecordBatch
{
    /// <summary>
    /// Wraps <paramref name="batch"/>, which must hold exactly one batch. Throws <see cref="KafkaProtocolException"/>
    /// when it is shorter than a header, its batchLength disagrees with its size, or its magic is not 2.
    /// The CRC is not checked here (see <see cref="IsCrcValid"/> and <see cref="Validate"/>).
    /// </summary>
    public RecordBatch(ReadOnlySpan<byte> batch)
    {
        if (!RecordBatchHeader.TryRead(batch, out var header))
        {
            throw new KafkaProtocolException($"Record batch of {batch.Length} bytes is shorter than its {RecordBatchHeader.Size}-byte header.");
        }

        if (header.Magic != RecordBatchHeader.CurrentMagic)
        {
            throw new KafkaProtocolException($"Unsupported record batch magic {header.Magic}.");
        }

        if (header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || header.TotalSize != batch.Length)
        {
            throw new KafkaProtocolException($"Record batch length {header.BatchLength} does not match its {batch.Length} bytes.");
        }

        Header = header;
        Bytes = batch;
    }

    public RecordBatchHeader Header { get; }

    /// <summary>The whole batch.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The records as stored: compressed when <see cref="Compression"/> is not None.</summary>
    public ReadOnlySpan<byte> RecordsSection => Bytes[RecordBatchHeader.Size..];

    public CompressionType Compression => (CompressionType)Header.CompressionCodec;

    /// <summary>True when the stored CRC-32C matches the bytes.</summary>
    public bool IsCrcValid => RecordBatchHeader.IsCrcValid(Bytes);

    /// <summary>Enumerates the records of an uncompressed batch without allocating.</summary>
    public RecordEnumerator GetRecords()
    {
        if (Compression != CompressionType.None)
        {
            throw new InvalidOperationException("The batch is compressed; use DecompressRecords first.");
        }

        return new RecordEnumerator(RecordsSection, Header.RecordCount);
    }

    /// <summary>
    /// Writes the uncompressed records section into <paramref name="destination"/> (decompressing if needed) and
    /// returns its length; enumerate it with <c>new RecordEnumerator(bytes, Header.RecordCount)</c>.
    /// </summary>
    public int DecompressRecords(IBufferWriter<byte> destination, int maxDecompressedLength = CompressionCodec.DefaultMaxDecompressedLength)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Compression == CompressionType.None)
        {
            var section = RecordsSection;
            section.CopyTo(destination.GetSpan(section.Length));
            destination.Advance(section.Length);
            return section.Length;
        }

        return CompressionCodec.Get(Compression).Decompress(RecordsSection, destination, maxDecompressedLength);
    }

    /// <summary>
    /// Checks what Kafka's LogValidator checks on produce for one batch: CRC, record count vs lastOffsetDelta, and
    /// (decompressing into <paramref name="scratch"/> if needed) that every record parses, offset deltas run 0..n-1
    /// and the records fill the section exactly. Returns <see cref="RecordBatchError.None"/> when valid.
    /// </summary>
    public RecordBatchError Validate(ArrayBufferWriter<byte>? scratch = null)
    {
        if (!IsCrcValid)
        {
            return RecordBatchError.CorruptMessage;
        }

        var count = Header.RecordCount;
        if (count <= 0 || Header.LastOffsetDelta != count - 1)
        {
            return RecordBatchError.InvalidRecord;
        }

        var records = RecordsSection;
        if (Compression != CompressionType.None)
        {
            if ((int)Compression > (int)CompressionType.Zstd)
            {
                return RecordBatchError.CorruptMessage;
            }

            scratch ??= new ArrayBufferWriter<byte>();
            scratch.ResetWrittenCount();
            try
            {
                DecompressRecords(scratch);
            }
            catch (KafkaProtocolException)
            {
                return RecordBatchError.CorruptMessage;
            }

            records = scratch.WrittenSpan;
        }

        try
        {
            var expected = 0;
            foreach (var record in new RecordEnumerator(records, count))
            {
                if (record.OffsetDelta != expected++)
                {
                    return RecordBatchError.InvalidRecord;
                }
            }
        }
        catch (KafkaProtocolException)
        {
            return RecordBatchError.CorruptMessage;
        }

        return RecordBatchError.None;
    }
}

/// <summary>Outcome of <see cref="RecordBatch.Validate"/>, mapped to Kafka error codes by the broker.</summary>
public enum RecordBatchError
{
    None = 0,

    /// <summary>CRC mismatch or undecodable bytes: Kafka error 2 CORRUPT_MESSAGE.</summary>
    CorruptMessage = 2,

    /// <summary>Well-formed bytes with inconsistent record metadata: Kafka error 87 INVALID_RECORD.</summary>
    InvalidRecord = 87,
}
