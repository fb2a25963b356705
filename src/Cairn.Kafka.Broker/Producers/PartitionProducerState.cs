using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// The idempotent-producer state of one partition (Kafka's ProducerStateManager, without transactions):
/// checks each incoming batch's (producer id, epoch, sequence range) and records appended batches.
/// Not thread-safe: the partition's append path owns it.
/// </summary>
public sealed class PartitionProducerState
{
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];

    /// <summary>Offset up to which the log has been applied (exclusive): the next offset to replay.</summary>
    public long MapEndOffset { get; private set; }

    public int ProducerCount => _producers.Count;

    public IEnumerable<ProducerStateEntry> Entries => _producers.Values;

    public ProducerStateEntry? Find(long producerId) => _producers.GetValueOrDefault(producerId);

    /// <summary>The sequence that follows <paramref name="sequence"/>; sequences wrap from int.MaxValue to 0.</summary>
    public static int NextSequence(int sequence) => sequence == int.MaxValue ? 0 : sequence + 1;

    /// <summary>The last sequence of a batch of <paramref name="recordCount"/> records starting at <paramref name="baseSequence"/>.</summary>
    public static int LastSequenceOf(int baseSequence, int recordCount)
    {
        var last = (long)baseSequence + recordCount - 1;
        return (int)(last > int.MaxValue ? last - int.MaxValue - 1 : last);
    }

    /// <summary>
    /// Decides what to do with a batch (Kafka 2.5+ rules): older epoch → INVALID_PRODUCER_EPOCH; a retry of one of the
    /// last five batches → duplicate with the original offsets; a new epoch must start at sequence 0; within an epoch
    /// the sequence must continue the last one (else OUT_OF_ORDER_SEQUENCE_NUMBER). A producer the partition has no
    /// state for (new, or its batches were removed by retention) is accepted at any sequence (KIP-360).
    /// </summary>
    public ProducerAppendCheck Check(long producerId, short epoch, int firstSequence, int lastSequence)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            return ProducerAppendCheck.Append;
        }

        if (epoch < entry.Epoch)
        {
            return ProducerAppendCheck.Reject(ProducerErrorCode.InvalidProducerEpoch);
        }

        if (epoch != entry.Epoch)
        {
            return firstSequence == 0 ? ProducerAppendCheck.Append : ProducerAppendCheck.Reject(ProducerErrorCode.OutOfOrderSequenceNumber);
        }

        if (entry.TryFindDuplicate(firstSequence, lastSequence, out var original))
        {
            return ProducerAppendCheck.DuplicateOf(original);
        }

        if (entry.Count == 0 || firstSequence == NextSequence(entry.LastSequence))
        {
            return ProducerAppendCheck.Append;
        }

        return ProducerAppendCheck.Reject(ProducerErrorCode.OutOfOrderSequenceNumber);
    }

    /// <summary>Records a batch that was appended (or replayed from the log) at the given offsets.</summary>
    public void Record(long producerId, short epoch, ProducerBatch batch)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerStateEntry(producerId, epoch);
            _producers.Add(producerId, entry);
        }
        else if (epoch > entry.Epoch)
        {
            entry.BumpEpoch(epoch);
        }

        entry.Add(batch);
        MapEndOffset = Math.Max(MapEndOffset, batch.LastOffset + 1);
    }

    /// <summary>Applies a batch read back from the log (rebuilding state after the latest snapshot).</summary>
    public void Replay(in RecordBatchHeader header)
    {
        if (header.HasProducerId && !header.IsControl && header.BaseSequence >= 0)
        {
            // After compaction a batch may hold fewer records; lastOffsetDelta still spans its sequences.
            var last = LastSequenceOf(header.BaseSequence, header.LastOffsetDelta + 1);
            Record(header.ProducerId, header.ProducerEpoch, new ProducerBatch(header.BaseSequence, last, header.BaseOffset, header.LastOffset, header.MaxTimestamp));
        }

        AdvanceTo(header.LastOffset + 1);
    }

    /// <summary>Marks offsets as applied even when they carried no idempotent batches.</summary>
    public void AdvanceTo(long nextOffset) => MapEndOffset = Math.Max(MapEndOffset, nextOffset);

    /// <summary>Forgets producers idle longer than producer.id.expiration.ms.</summary>
    public int ExpireIdle(long nowMs, long expirationMs)
    {
        List<long>? expired = null;
        foreach (var (id, entry) in _producers)
        {
            if (nowMs - entry.LastTimestamp >= expirationMs)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (var id in expired)
        {
            _producers.Remove(id);
        }

        return expired.Count;
    }

    /// <summary>Replaces the whole state (after loading a snapshot).</summary>
    public void Reset(IEnumerable<ProducerStateEntry> entries, long mapEndOffset)
    {
        _producers.Clear();
        foreach (var e in entries)
        {
            _producers[e.ProducerId] = e;
        }

        MapEndOffset = mapEndOffset;
    }
}
