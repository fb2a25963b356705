using System.Collections.Concurrent;
using Cairn.Kafka.Broker.Partitions;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// The idempotence check inside Produce. Each partition's state is built on first use from its newest snapshot plus a
/// replay of the log after it, snapshotted when the log rolls a segment and at shutdown. Calls for one partition come
/// under that partition's append lock, so the per-partition state needs no lock of its own.
/// </summary>
public sealed class ProducerStateGuard(TimeProvider time, long producerIdExpirationMs) : IProduceGuard
{
    private const int ReplayChunkBytes = 1 << 20;
    private readonly ConcurrentDictionary<(Guid TopicId, int Partition), PartitionEntry> _partitions = new();

    private sealed class PartitionEntry(PartitionProducerState state, string directory, int segmentCount)
    {
        public PartitionProducerState State { get; set; } = state;

        public string Directory { get; } = directory;

        public int SegmentCount { get; set; } = segmentCount;

        public long LastExpiryMs { get; set; }
    }

    public ProduceCheck Check(PartitionReplica partition, in RecordBatchHeader batch)
    {
        if (!batch.HasProducerId || batch.IsControl)
        {
            return ProduceCheck.Append;
        }

        var entry = EntryFor(partition);
        var lastSequence = PartitionProducerState.LastSequenceOf(batch.BaseSequence, batch.LastOffsetDelta + 1);
        var check = entry.State.Check(batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence, lastSequence);
        return check.Decision switch
        {
            ProducerAppendDecision.Append => ProduceCheck.Append,
            ProducerAppendDecision.Duplicate => ProduceCheck.Duplicate(check.Original.FirstOffset),
            _ => ProduceCheck.Error((short)check.Error),
        };
    }

    public void OnAppended(PartitionReplica partition, in RecordBatchHeader batch, long baseOffset, long lastOffset)
    {
        var entry = EntryFor(partition);
        if (batch.HasProducerId && !batch.IsControl)
        {
            var lastSequence = PartitionProducerState.LastSequenceOf(batch.BaseSequence, batch.LastOffsetDelta + 1);
            entry.State.Record(batch.ProducerId, batch.ProducerEpoch, new ProducerBatch(batch.BaseSequence, lastSequence, baseOffset, lastOffset, batch.MaxTimestamp));
        }

        entry.State.AdvanceTo(lastOffset + 1);

        // Kafka snapshots producer state when a segment rolls, so that recovery replays only the active segment.
        var segments = partition.Log.SegmentCount;
        if (segments != entry.SegmentCount)
        {
            entry.SegmentCount = segments;
            Snapshot(entry);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - entry.LastExpiryMs > 60_000)
        {
            entry.LastExpiryMs = now;
            entry.State.ExpireIdle(now, producerIdExpirationMs);
        }
    }

    /// <summary>Snapshots every partition whose state is loaded (at shutdown: the listener is closed, no appends run).</summary>
    public void SnapshotAll()
    {
        foreach (var (_, entry) in _partitions)
        {
            Snapshot(entry);
        }
    }

    private static void Snapshot(PartitionEntry entry)
    {
        if (!System.IO.Directory.Exists(entry.Directory))
        {
            return;
        }

        ProducerStateSnapshot.Write(entry.Directory, entry.State);
        ProducerStateSnapshot.DeleteOld(entry.Directory);
    }

    private PartitionEntry EntryFor(PartitionReplica partition) =>
        _partitions.GetOrAdd((partition.TopicId, partition.Partition), static (_, p) => Load(p), partition);

    /// <summary>Newest usable snapshot, then every batch after it up to the log end.</summary>
    private static PartitionEntry Load(PartitionReplica partition)
    {
        var directory = partition.Log.DirectoryPath;
        var state = ProducerStateSnapshot.LoadLatest(directory, partition.LogEndOffset);
        var offset = Math.Max(state.MapEndOffset, partition.LogStartOffset);
        while (offset < partition.LogEndOffset)
        {
            var bytes = partition.Log.ReadBytes(offset, ReplayChunkBytes, upToHighWatermark: false);
            var span = bytes.AsSpan();
            var advanced = false;
            while (RecordBatchHeader.TryRead(span, out var header) && header.BatchLength > 0 && header.TotalSize <= span.Length)
            {
                if (header.LastOffset >= offset)
                {
                    state.Replay(header);
                    offset = header.LastOffset + 1;
                    advanced = true;
                }

                span = span[header.TotalSize..];
            }

            if (!advanced)
            {
                break;
            }
        }

        return new PartitionEntry(state, directory, partition.Log.SegmentCount);
    }
}
