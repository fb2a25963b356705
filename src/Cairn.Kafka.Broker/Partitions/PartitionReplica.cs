using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage;

namespace Cairn.Kafka.Broker.Partitions;

/// <summary>
/// This broker's replica of one partition: the log, the leader epoch, the high watermark and the
/// log end offset (the log itself is owned by storage's LogDirectory). A standalone broker is the only replica, so the high watermark follows the log
/// end offset after every append; with replication it will follow the ISR's fetch positions.
/// </summary>
public sealed class PartitionReplica
{
    private readonly object _appendLock = new();
    private readonly AppendSignal _signal;

    internal PartitionReplica(string topic, Guid topicId, int partition, PartitionLog log, int leaderEpoch, AppendSignal signal)
    {
        Topic = topic;
        TopicId = topicId;
        Partition = partition;
        Log = log;
        _signal = signal;
        LeaderEpoch = leaderEpoch;
        log.LeaderEpoch = leaderEpoch;
    }

    public string Topic { get; }

    public Guid TopicId { get; }

    public int Partition { get; }

    /// <summary>The partition's log (reads are lock-free; appends go through <see cref="Append"/>).</summary>
    public PartitionLog Log { get; }

    public int LeaderEpoch { get; private set; }

    public long HighWatermark => Log.HighWatermark;

    public long LogEndOffset => Log.LogEndOffset;

    public long LogStartOffset => Log.LogStartOffset;

    /// <summary>Without transactions the last stable offset is the high watermark.</summary>
    public long LastStableOffset => Log.HighWatermark;

    /// <summary>
    /// Appends one record set (validated by storage; <paramref name="records"/> is patched in place
    /// with offsets and the leader epoch). <paramref name="guard"/> may veto or deduplicate batches.
    /// </summary>
    public PartitionAppendResult Append(Span<byte> records, IProduceGuard? guard)
    {
        lock (_appendLock)
        {
            RecordBatchHeader header = default;
            var hasHeader = guard is not null && RecordBatchHeader.TryRead(records, out header);
            if (guard is not null && hasHeader)
            {
                var check = guard.Check(this, header);
                if (check.ErrorCode != KafkaErrorCode.None)
                {
                    return new PartitionAppendResult(check.ErrorCode, -1, -1, LogStartOffset, 0);
                }

                if (check.IsDuplicate)
                {
                    return new PartitionAppendResult(KafkaErrorCode.None, check.DuplicateBaseOffset, -1, LogStartOffset, 0);
                }
            }

            var result = Log.Append(records);
            if (!result.IsSuccess)
            {
                return new PartitionAppendResult(ErrorCodes.From(result.Error), -1, -1, result.LogStartOffset, 0);
            }

            if (guard is not null && hasHeader)
            {
                guard.OnAppended(this, header, result.BaseOffset, result.LastOffset);
            }

            // Single replica: everything appended is committed.
            Log.UpdateHighWatermark(Log.LogEndOffset);
            _signal.Notify();
            return new PartitionAppendResult(KafkaErrorCode.None, result.BaseOffset, result.LogAppendTime, result.LogStartOffset, result.RecordCount);
        }
    }

    /// <summary>Applies a new leader epoch from the controller (bumped at leader changes).</summary>
    public void SetLeaderEpoch(int epoch)
    {
        lock (_appendLock)
        {
            LeaderEpoch = epoch;
            Log.LeaderEpoch = epoch;
        }
    }
}

/// <summary>The outcome of <see cref="PartitionReplica.Append"/> in Produce-response terms.</summary>
public readonly record struct PartitionAppendResult(short ErrorCode, long BaseOffset, long LogAppendTime, long LogStartOffset, int RecordCount);
