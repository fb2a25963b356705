using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Partitions;

/// <summary>
/// Hook run inside a partition's append critical section, for the idempotent-producer state
/// (implemented by the kafka-groups helper in <c>Producers/</c>). Check and record happen under the
/// same per-partition lock as the append, so sequence checks and appends are atomic.
/// </summary>
public interface IProduceGuard
{
    /// <summary>
    /// Decides about one batch before it is appended: <see cref="ProduceCheck.Append"/>, a duplicate
    /// (answer success with the original offsets, append nothing), or a Kafka error code.
    /// </summary>
    ProduceCheck Check(PartitionReplica partition, in RecordBatchHeader batch);

    /// <summary>Records a batch that was appended at <paramref name="baseOffset"/>..<paramref name="lastOffset"/>.</summary>
    void OnAppended(PartitionReplica partition, in RecordBatchHeader batch, long baseOffset, long lastOffset);
}

/// <summary>The outcome of <see cref="IProduceGuard.Check"/>.</summary>
/// <param name="ErrorCode">0 to proceed; else the Kafka error to answer.</param>
/// <param name="DuplicateBaseOffset">≥ 0 when the batch is a retry of one already appended at that offset.</param>
public readonly record struct ProduceCheck(short ErrorCode, long DuplicateBaseOffset)
{
    public static ProduceCheck Append => new(0, -1);

    public static ProduceCheck Duplicate(long baseOffset) => new(0, baseOffset);

    public static ProduceCheck Error(short errorCode) => new(errorCode, -1);

    public bool IsDuplicate => ErrorCode == 0 && DuplicateBaseOffset >= 0;
}
