namespace Cairn.Kafka.Storage;

/// <summary>
/// Outcome of <see cref="PartitionLog.Read"/>: a region of whole batches (possibly empty) plus the partition
/// offsets a Fetch response carries.
/// </summary>
public readonly record struct ReadResult(
    StorageError Error,
    FileRegion Region,
    long HighWatermark,
    long LogStartOffset,
    long LogEndOffset)
{
    public bool IsSuccess => Error == StorageError.None;
}

/// <summary>Outcome of <see cref="PartitionLog.LookupOffset"/> (ListOffsets): offset and timestamp, -1 when none.</summary>
public readonly record struct OffsetLookupResult(StorageError Error, long Offset, long Timestamp)
{
    /// <summary>ListOffsets special timestamp: the latest offset (the high watermark).</summary>
    public const long Latest = -1;

    /// <summary>ListOffsets special timestamp: the earliest offset (the log start offset).</summary>
    public const long Earliest = -2;

    /// <summary>ListOffsets special timestamp (KIP-734): the offset of the largest timestamp.</summary>
    public const long MaxTimestamp = -3;
}
