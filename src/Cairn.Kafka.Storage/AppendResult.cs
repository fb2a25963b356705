namespace Cairn.Kafka.Storage;

/// <summary>Outcome of <see cref="PartitionLog.Append"/>.</summary>
public readonly record struct AppendResult(
    StorageError Error,
    long BaseOffset,
    long LastOffset,
    long LogAppendTime,
    long LogStartOffset,
    int RecordCount)
{
    /// <summary>True when the batches were appended.</summary>
    public bool IsSuccess => Error == StorageError.None;

    internal static AppendResult Failed(StorageError error, long logStartOffset) => new(error, -1, -1, -1, logStartOffset, 0);
}

/// <summary>
/// What the idempotent-producer state needs from each appended batch (Kafka's <c>ProducerAppendInfo</c> inputs).
/// </summary>
public readonly record struct AppendedBatch(
    long BaseOffset,
    long LastOffset,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int LastOffsetDelta,
    long MaxTimestamp,
    bool IsTransactional,
    bool IsControl);
