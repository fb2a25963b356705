using Cairn.Kafka.Broker.Producers;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Tests.Producers;

public sealed class ProducerStateSnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-producer-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_snapshot_round_trips_epochs_and_cached_batches_and_is_named_by_offset()
    {
        var state = new PartitionProducerState();
        for (var i = 0; i < 7; i++)
        {
            state.Record(1, 2, new ProducerBatch(i * 10, (i * 10) + 9, i * 10, (i * 10) + 9, 500 + i));
        }

        state.Record(99, 0, new ProducerBatch(0, 0, 70, 70, 600));
        var path = ProducerStateSnapshot.Write(_dir, state);
        Path.GetFileName(path).ShouldBe("00000000000000000071.snapshot");

        var loaded = ProducerStateSnapshot.LoadLatest(_dir, 71);
        loaded.MapEndOffset.ShouldBe(71);
        loaded.Find(1)!.Epoch.ShouldBe((short)2);
        loaded.Find(1)!.Count.ShouldBe(5);
        loaded.Check(1, 2, 30, 39).Original.FirstOffset.ShouldBe(30);
        loaded.Check(1, 2, 70, 79).Decision.ShouldBe(ProducerAppendDecision.Append);
        loaded.Check(99, 0, 0, 0).Decision.ShouldBe(ProducerAppendDecision.Duplicate);
    }

    [Fact]
    public void Corrupt_or_future_snapshots_are_skipped_for_an_older_good_one()
    {
        var state = new PartitionProducerState();
        state.Record(1, 0, new ProducerBatch(0, 4, 0, 4, 1));
        ProducerStateSnapshot.Write(_dir, state);
        state.Record(1, 0, new ProducerBatch(5, 9, 5, 9, 2));
        var newer = ProducerStateSnapshot.Write(_dir, state);
        state.Record(1, 0, new ProducerBatch(10, 14, 10, 14, 3));
        ProducerStateSnapshot.Write(_dir, state);

        var bytes = File.ReadAllBytes(newer);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(newer, bytes);

        // The log ends at 12 (the 15 snapshot is past it), and the 10 snapshot is corrupt: use 5.
        var loaded = ProducerStateSnapshot.LoadLatest(_dir, 12);
        loaded.MapEndOffset.ShouldBe(5);
        loaded.Find(1)!.LastSequence.ShouldBe(4);
        ProducerStateSnapshot.LoadLatest(Path.Combine(_dir, "missing"), 100).ProducerCount.ShouldBe(0);

        ProducerStateSnapshot.DeleteOld(_dir, keep: 1);
        Directory.GetFiles(_dir, "*.snapshot").Length.ShouldBe(1);
    }

    [Fact]
    public void Replaying_batch_headers_after_a_snapshot_rebuilds_the_state()
    {
        var state = new PartitionProducerState();
        state.Record(5, 1, new ProducerBatch(0, 2, 0, 2, 1));
        ProducerStateSnapshot.Write(_dir, state);
        var loaded = ProducerStateSnapshot.LoadLatest(_dir, 100);

        // Tail of the log after the snapshot: an idempotent batch and a plain one.
        var idempotent = new RecordBatchHeader(3, 100, 0, 2, 0, 0, 1, 10, 10, 5, 1, 3, 2);
        var plain = new RecordBatchHeader(5, 100, 0, 2, 0, 0, 0, 10, 10, -1, -1, -1, 1);
        loaded.Replay(idempotent);
        loaded.Replay(plain);
        loaded.MapEndOffset.ShouldBe(6);
        loaded.Find(5)!.LastSequence.ShouldBe(4);
        loaded.Check(5, 1, 3, 4).Original.FirstOffset.ShouldBe(3);
    }

    [Fact]
    public void Producer_ids_are_unique_across_restarts_of_the_allocator()
    {
        var file = Path.Combine(_dir, "producer-ids");
        var first = new ProducerIdAllocator(file, blockSize: 3);
        var ids = new List<long> { first.Allocate(), first.Allocate(), first.Allocate(), first.Allocate() };
        var second = new ProducerIdAllocator(file, blockSize: 3);
        ids.Add(second.Allocate());
        ids.ShouldBe([0L, 1, 2, 3, 6]);
    }
}
