using System.Buffers.Binary;
using System.Numerics;

namespace Cairn.Kafka.Protocol.Records;

/// <summary>
/// The 61-byte header of a magic-v2 record batch (Kafka <c>DefaultRecordBatch</c>), decoded from
/// big-endian bytes, plus in-place editors for the fields a broker rewrites on append.
/// </summary>
/// <remarks>
/// Layout (offsets from the batch start): baseOffset int64 @0, batchLength int32 @8,
/// partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17, attributes int16 @21,
/// lastOffsetDelta int32 @23, baseTimestamp int64 @27, maxTimestamp int64 @35, producerId int64 @43,
/// producerEpoch int16 @51, baseSequence int32 @53, recordCount int32 @57. The CRC-32C covers the
/// bytes from attributes (@21) to the end of the batch, so baseOffset and partitionLeaderEpoch can be
/// patched without recomputing it; maxTimestamp and attributes cannot.
/// </remarks>
public readonly struct RecordBatchHeader
{
    /// <summary>Size of the header in bytes (Kafka's <c>RECORD_BATCH_OVERHEAD</c>).</summary>
    public const int Size = 61;

    /// <summary>Bytes before the first byte counted by <see cref="BatchLength"/> (baseOffset + batchLength).</summary>
    public const int LogOverhead = 12;

    /// <summary>The only batch format this type understands.</summary>
    public const byte CurrentMagic = 2;

    public const int BaseOffsetPosition = 0;
    public const int BatchLengthPosition = 8;
    public const int PartitionLeaderEpochPosition = 12;
    public const int MagicPosition = 16;
    public const int CrcPosition = 17;
    public const int AttributesPosition = 21;
    public const int LastOffsetDeltaPosition = 23;
    public const int BaseTimestampPosition = 27;
    public const int MaxTimestampPosition = 35;
    public const int ProducerIdPosition = 43;
    public const int ProducerEpochPosition = 51;
    public const int BaseSequencePosition = 53;
    public const int RecordCountPosition = 57;

    /// <summary>Attribute bits 0-2: compression codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).</summary>
    public const short CompressionCodecMask = 0x07;

    /// <summary>Attribute bit 3: timestamps are LogAppendTime (set) or CreateTime (clear).</summary>
    public const short TimestampTypeFlag = 0x08;

    /// <summary>Attribute bit 4: the batch belongs to a transaction.</summary>
    public const short TransactionalFlag = 0x10;

    /// <summary>Attribute bit 5: the batch is a control batch (transaction marker).</summary>
    public const short ControlFlag = 0x20;

    /// <summary>Attribute bit 6 (KIP-534): baseTimestamp holds the compaction delete horizon.</summary>
    public const short DeleteHorizonFlag = 0x40;

    public RecordBatchHeader(
        long baseOffset,
        int batchLength,
        int partitionLeaderEpoch,
        byte magic,
        uint crc,
        short attributes,
        int lastOffsetDelta,
        long baseTimestamp,
        long maxTimestamp,
        long producerId,
        short producerEpoch,
        int baseSequence,
        int recordCount)
    {
        BaseOffset = baseOffset;
        BatchLength = batchLength;
        PartitionLeaderEpoch = partitionLeaderEpoch;
        Magic = magic;
        Crc = crc;
        Attributes = attributes;
        LastOffsetDelta = lastOffsetDelta;
        BaseTimestamp = baseTimestamp;
        MaxTimestamp = maxTimestamp;
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
        BaseSequence = baseSequence;
        RecordCount = recordCount;
    }

    public long BaseOffset { get; }

    /// <summary>Bytes following the batchLength field; the whole batch is <see cref="TotalSize"/>.</summary>
    public int BatchLength { get; }

    public int PartitionLeaderEpoch { get; }

    public byte Magic { get; }

    public uint Crc { get; }

    public short Attributes { get; }

    public int LastOffsetDelta { get; }

    public long BaseTimestamp { get; }

    public long MaxTimestamp { get; }

    public long ProducerId { get; }

    public short ProducerEpoch { get; }

    public int BaseSequence { get; }

    public int RecordCount { get; }

    /// <summary>Size of the whole batch on the wire and on disk: <see cref="BatchLength"/> + 12.</summary>
    public int TotalSize => BatchLength + LogOverhead;

    /// <summary>Offset of the last record: <see cref="BaseOffset"/> + <see cref="LastOffsetDelta"/>.</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>Compression codec id from attribute bits 0-2.</summary>
    public int CompressionCodec => Attributes & CompressionCodecMask;

    public bool IsLogAppendTime => (Attributes & TimestampTypeFlag) != 0;

    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    public bool IsControl => (Attributes & ControlFlag) != 0;

    public bool HasDeleteHorizon => (Attributes & DeleteHorizonFlag) != 0;

    /// <summary>True when the producer set a producer id (idempotent or transactional batch).</summary>
    public bool HasProducerId => ProducerId >= 0;

    /// <summary>
    /// Decodes the header at the start of <paramref name="source"/>. Fails only when fewer than
    /// <see cref="Size"/> bytes are present; magic, length and CRC are checked separately
    /// (<see cref="Magic"/>, <see cref="TotalSize"/>, <see cref="IsCrcValid"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out RecordBatchHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        header = new RecordBatchHeader(
            BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthPosition..]),
            BinaryPrimitives.ReadInt32BigEndian(source[PartitionLeaderEpochPosition..]),
            source[MagicPosition],
            BinaryPrimitives.ReadUInt32BigEndian(source[CrcPosition..]),
            BinaryPrimitives.ReadInt16BigEndian(source[AttributesPosition..]),
            BinaryPrimitives.ReadInt32BigEndian(source[LastOffsetDeltaPosition..]),
            BinaryPrimitives.ReadInt64BigEndian(source[BaseTimestampPosition..]),
            BinaryPrimitives.ReadInt64BigEndian(source[MaxTimestampPosition..]),
            BinaryPrimitives.ReadInt64BigEndian(source[ProducerIdPosition..]),
            BinaryPrimitives.ReadInt16BigEndian(source[ProducerEpochPosition..]),
            BinaryPrimitives.ReadInt32BigEndian(source[BaseSequencePosition..]),
            BinaryPrimitives.ReadInt32BigEndian(source[RecordCountPosition..]));
        return true;
    }

    /// <summary>
    /// Writes this header to the first <see cref="Size"/> bytes of <paramref name="destination"/>
    /// exactly as stored (including <see cref="Crc"/>; call <see cref="UpdateCrc"/> once the records follow).
    /// </summary>
    public void WriteTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        BinaryPrimitives.WriteInt64BigEndian(destination, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[BatchLengthPosition..], BatchLength);
        BinaryPrimitives.WriteInt32BigEndian(destination[PartitionLeaderEpochPosition..], PartitionLeaderEpoch);
        destination[MagicPosition] = Magic;
        BinaryPrimitives.WriteUInt32BigEndian(destination[CrcPosition..], Crc);
        BinaryPrimitives.WriteInt16BigEndian(destination[AttributesPosition..], Attributes);
        BinaryPrimitives.WriteInt32BigEndian(destination[LastOffsetDeltaPosition..], LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(destination[BaseTimestampPosition..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[MaxTimestampPosition..], MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(destination[ProducerIdPosition..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(destination[ProducerEpochPosition..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(destination[BaseSequencePosition..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(destination[RecordCountPosition..], RecordCount);
    }

    /// <summary>Reads the batchLength field, or -1 when fewer than 12 bytes are present.</summary>
    public static int ReadBatchLength(ReadOnlySpan<byte> source) =>
        source.Length < LogOverhead ? -1 : BinaryPrimitives.ReadInt32BigEndian(source[BatchLengthPosition..]);

    /// <summary>
    /// Computes the batch CRC-32C over <paramref name="batch"/> from the attributes field to its end.
    /// <paramref name="batch"/> must be exactly one whole batch.
    /// </summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch.Length, Size);
        return Crc32C(batch[AttributesPosition..]);
    }

    /// <summary>True when the stored CRC matches the bytes of the whole batch <paramref name="batch"/>.</summary>
    public static bool IsCrcValid(ReadOnlySpan<byte> batch) =>
        batch.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(batch[CrcPosition..]) == ComputeCrc(batch);

    /// <summary>Recomputes and stores the CRC after the covered bytes were changed.</summary>
    public static void UpdateCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcPosition..], ComputeCrc(batch));

    /// <summary>Overwrites baseOffset in place (not covered by the CRC).</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Overwrites partitionLeaderEpoch in place (not covered by the CRC).</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int partitionLeaderEpoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochPosition..], partitionLeaderEpoch);

    /// <summary>
    /// Stamps LogAppendTime: sets maxTimestamp to <paramref name="logAppendTime"/>, sets the timestamp-type
    /// attribute bit, and recomputes the CRC (both fields are covered by it). <paramref name="batch"/> must be
    /// exactly one whole batch.
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long logAppendTime)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampPosition..], logAppendTime);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesPosition..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesPosition..], (short)(attributes | TimestampTypeFlag));
        UpdateCrc(batch);
    }

    /// <summary>CRC-32C (Castagnoli) with init 0xFFFFFFFF and final xor 0xFFFFFFFF, hardware-accelerated.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data) => ~Crc32CUpdate(uint.MaxValue, data);

    /// <summary>Continues a raw (not inverted) CRC-32C over more bytes, for checksums over several spans.</summary>
    public static uint Crc32CUpdate(uint crc, ReadOnlySpan<byte> data)
    {
        // The CRC32 instruction consumes 8 bytes in memory order, which is little-endian load order.
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
