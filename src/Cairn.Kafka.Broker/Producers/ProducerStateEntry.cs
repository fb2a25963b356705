namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// One producer's state on one partition: its epoch and the last <see cref="BatchesToRetain"/> batches,
/// enough to recognise any retry of a producer with at most 5 requests in flight.
/// </summary>
public sealed class ProducerStateEntry(long producerId, short epoch)
{
    /// <summary>Kafka's <c>NUM_BATCHES_TO_RETAIN</c>.</summary>
    public const int BatchesToRetain = 5;

    private readonly ProducerBatch[] _batches = new ProducerBatch[BatchesToRetain];
    private int _start;

    public long ProducerId { get; } = producerId;

    public short Epoch { get; private set; } = epoch;

    public int Count { get; private set; }

    /// <summary>Timestamp of the newest batch (for producer.id.expiration.ms).</summary>
    public long LastTimestamp { get; private set; } = -1;

    public ProducerBatch this[int index] => _batches[(_start + index) % BatchesToRetain];

    public int LastSequence => Count == 0 ? -1 : this[Count - 1].LastSequence;

    public long LastOffset => Count == 0 ? -1 : this[Count - 1].LastOffset;

    /// <summary>Starts a new epoch: earlier batches can no longer be retried.</summary>
    public void BumpEpoch(short epoch)
    {
        Epoch = epoch;
        Count = 0;
        _start = 0;
    }

    public void Add(ProducerBatch batch)
    {
        if (Count == BatchesToRetain)
        {
            _batches[_start] = batch;
            _start = (_start + 1) % BatchesToRetain;
        }
        else
        {
            _batches[(_start + Count) % BatchesToRetain] = batch;
            Count++;
        }

        LastTimestamp = Math.Max(LastTimestamp, batch.Timestamp);
    }

    public bool TryFindDuplicate(int firstSequence, int lastSequence, out ProducerBatch original)
    {
        for (var i = 0; i < Count; i++)
        {
            var b = this[i];
            if (b.FirstSequence == firstSequence && b.LastSequence == lastSequence)
            {
                original = b;
                return true;
            }
        }

        original = default;
        return false;
    }
}
