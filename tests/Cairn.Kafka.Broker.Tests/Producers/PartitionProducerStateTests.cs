using Cairn.Kafka.Broker.Producers;
using FsCheck.Fluent;

namespace Cairn.Kafka.Broker.Tests.Producers;

public class PartitionProducerStateTests
{
    private readonly PartitionProducerState _state = new();
    private long _logEnd;

    /// <summary>Checks and, when allowed, appends a batch of <paramref name="count"/> records like the log would.</summary>
    private ProducerAppendCheck Produce(long pid, short epoch, int firstSeq, int count)
    {
        var lastSeq = PartitionProducerState.LastSequenceOf(firstSeq, count);
        var check = _state.Check(pid, epoch, firstSeq, lastSeq);
        if (check.Decision == ProducerAppendDecision.Append)
        {
            _state.Record(pid, epoch, new ProducerBatch(firstSeq, lastSeq, _logEnd, _logEnd + count - 1, 1000));
            _logEnd += count;
        }

        return check;
    }

    [Fact]
    public void Batches_in_sequence_are_appended()
    {
        Produce(1, 0, 0, 3).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(1, 0, 3, 2).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(2, 0, 0, 1).Decision.ShouldBe(ProducerAppendDecision.Append);
        _state.Find(1)!.LastSequence.ShouldBe(4);
        _logEnd.ShouldBe(6);
    }

    [Fact]
    public void A_retry_of_any_of_the_last_five_batches_is_a_duplicate_answered_with_its_original_offsets()
    {
        for (var i = 0; i < 7; i++)
        {
            Produce(1, 0, i * 2, 2);
        }

        // Batches 2..6 are cached (offsets 4..13); batch 1 has been forgotten.
        var dup = Produce(1, 0, 6, 2);
        dup.Decision.ShouldBe(ProducerAppendDecision.Duplicate);
        dup.Original.FirstOffset.ShouldBe(6);
        dup.Original.LastOffset.ShouldBe(7);
        Produce(1, 0, 12, 2).Original.FirstOffset.ShouldBe(12);
        _logEnd.ShouldBe(14);

        Produce(1, 0, 2, 2).Decision.ShouldBe(ProducerAppendDecision.Reject);
        Produce(1, 0, 2, 2).Error.ShouldBe(ProducerErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void A_gap_in_sequences_is_out_of_order_and_appends_nothing()
    {
        Produce(1, 0, 0, 5);
        var gap = Produce(1, 0, 7, 1);
        gap.Decision.ShouldBe(ProducerAppendDecision.Reject);
        gap.Error.ShouldBe(ProducerErrorCode.OutOfOrderSequenceNumber);
        _logEnd.ShouldBe(5);
        Produce(1, 0, 5, 1).Decision.ShouldBe(ProducerAppendDecision.Append);
    }

    [Fact]
    public void A_partially_overlapping_retry_is_out_of_order_not_a_duplicate()
    {
        Produce(1, 0, 0, 5);
        Produce(1, 0, 2, 5).Error.ShouldBe(ProducerErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void An_older_epoch_is_fenced_and_a_newer_one_must_start_at_zero()
    {
        Produce(1, 3, 0, 2);
        Produce(1, 2, 2, 1).Error.ShouldBe(ProducerErrorCode.InvalidProducerEpoch);
        Produce(1, 4, 5, 1).Error.ShouldBe(ProducerErrorCode.OutOfOrderSequenceNumber);
        Produce(1, 4, 0, 1).Decision.ShouldBe(ProducerAppendDecision.Append);
        _state.Find(1)!.Epoch.ShouldBe((short)4);

        // The old epoch's batches are gone: a retry from epoch 3 is fenced, not deduplicated.
        Produce(1, 3, 0, 2).Error.ShouldBe(ProducerErrorCode.InvalidProducerEpoch);
    }

    [Fact]
    public void An_unknown_producer_is_accepted_at_any_sequence_as_in_Kafka_2_5_and_later()
    {
        Produce(9, 0, 1234, 2).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(9, 0, 1236, 1).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(9, 0, 1240, 1).Error.ShouldBe(ProducerErrorCode.OutOfOrderSequenceNumber);
    }

    [Fact]
    public void Sequences_wrap_from_int_max_to_zero()
    {
        PartitionProducerState.LastSequenceOf(int.MaxValue - 1, 3).ShouldBe(0);
        PartitionProducerState.NextSequence(int.MaxValue).ShouldBe(0);
        Produce(1, 0, int.MaxValue - 1, 2).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(1, 0, 0, 2).Decision.ShouldBe(ProducerAppendDecision.Append);
        Produce(1, 0, int.MaxValue - 1, 2).Decision.ShouldBe(ProducerAppendDecision.Duplicate);
    }

    [Fact]
    public void Idle_producers_expire()
    {
        Produce(1, 0, 0, 1);
        _state.ExpireIdle(1000 + 86_400_000 - 1, 86_400_000).ShouldBe(0);
        _state.ExpireIdle(1000 + 86_400_000, 86_400_000).ShouldBe(1);
        _state.Find(1).ShouldBeNull();
    }

    [Fact]
    public void Property_any_reordering_of_retries_never_appends_a_sequence_twice()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll(
            FsCheck.Fluent.ArbMap.Default.ArbFor<int[]>(),
            (int[] choices) =>
            {
                var state = new PartitionProducerState();
                var logEnd = 0L;
                var appended = new List<int>();
                var next = 0;
                foreach (var c in choices)
                {
                    // Either send the next batch of 2, or retry one of the last few (a lost response).
                    var first = (c & 1) == 0 || next == 0 ? next : Math.Max(0, next - (2 * ((Math.Abs(c % 5)) + 1)));
                    first -= first % 2;
                    var check = state.Check(7, 0, first, first + 1);
                    if (check.Decision == ProducerAppendDecision.Append)
                    {
                        state.Record(7, 0, new ProducerBatch(first, first + 1, logEnd, logEnd + 1, 0));
                        logEnd += 2;
                        appended.Add(first);
                        appended.Add(first + 1);
                        next = first + 2;
                    }
                }

                return appended.Count == appended.Distinct().Count() && appended.SequenceEqual(Enumerable.Range(0, appended.Count));
            }));
    }
}
