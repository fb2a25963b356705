using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.OffsetsTopic;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class OffsetsTopicTests
{
    [Fact]
    public void Keys_use_Kafkas_layout_and_partitioning()
    {
        // OffsetCommitKey v1: int16 1, string group, string topic, int32 partition.
        OffsetsTopicRecord.OffsetKey("g", "t", 2).ShouldBe(new byte[] { 0, 1, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 2 });
        OffsetsTopicRecord.GroupKey("g").ShouldBe(new byte[] { 0, 2, 0, 1, (byte)'g' });

        // Java: "g1".hashCode() = 103 * 31 + 49 = 3242, so partition 42 of 50.
        OffsetsTopicRecord.PartitionFor("g1", 50).ShouldBe(42);
        OffsetsTopicRecord.PartitionFor("console-consumer-1", 50).ShouldBeInRange(0, 49);
    }

    [Fact]
    public void Batches_written_by_the_coordinator_replay_into_a_fresh_coordinator()
    {
        var partitions = new Dictionary<int, List<byte[]>>();
        var h = new GroupHarness();
        var writer = new OffsetsTopicWriter((p, batch) =>
        {
            RecordBatchHeader.IsCrcValid(batch).ShouldBeTrue();
            (partitions.TryGetValue(p, out var l) ? l : partitions[p] = []).Add(batch);
        }, 50, h.Clock);

        // Drive a real coordinator against the writer.
        var coordinator = new GroupCoordinator(h.Options, h.Clock, writer, a => a());
        var join = new Cairn.Kafka.Broker.Groups.Api.JoinGroupInput("g1", "", "static-1", "consumer", [new("range", [1, 2, 3])], 10_000, 30_000, "c", "/h", false);
        Cairn.Kafka.Broker.Groups.Api.JoinGroupOutput? joined = null;
        coordinator.JoinGroup(join, r => joined = r);
        coordinator.SyncGroup(new(("g1"), joined!.GenerationId, joined.MemberId, "static-1", null, null, new Dictionary<string, byte[]> { [joined.MemberId] = [9, 9] }), _ => { });
        coordinator.OffsetCommit(new("g1", joined.GenerationId, joined.MemberId, "static-1", [new("t", 0, 100, 3, "meta"), new("t", 1, 200, -1, null)]));
        coordinator.OffsetCommit(new("simple", -1, "", null, [new("t", 0, 5, -1, null)]));
        coordinator.OffsetCommit(new("simple", -1, "", null, [new("t", 0, 6, -1, null)]));
        coordinator.OffsetCommit(new("gone", -1, "", null, [new("t", 0, 1, -1, null)]));
        coordinator.DeleteGroups(["gone"]);

        var restarted = new GroupHarness();
        var replayed = 0;
        foreach (var (_, batches) in partitions)
        {
            var all = batches.SelectMany(b => b).ToArray();
            OffsetsTopicBatch.ForEachRecord(all, (offset, key, value, isNull) =>
            {
                OffsetsTopicRecord.Replay(key, value, isNull, restarted.Coordinator).ShouldBeTrue();
                replayed++;
            }).ShouldBe(all.Length);
        }

        restarted.Coordinator.CompleteLoad();
        replayed.ShouldBeGreaterThan(6);
        var fetched = restarted.Coordinator.OffsetFetch(new("g1", null)).Partitions.OrderBy(p => p.Partition).ToList();
        fetched.Select(p => (p.Offset, p.LeaderEpoch, p.Metadata)).ShouldBe([(100L, 3, "meta"), (200L, -1, "")]);
        restarted.Fetch("simple", "t", 0).ShouldBe(6);
        restarted.Coordinator.StateOf("gone").ShouldBeNull();
        restarted.Coordinator.StateOf("g1").ShouldBe(GroupState.Stable);
        var described = restarted.Coordinator.DescribeGroups(["g1"])[0];
        described.Members.Single().GroupInstanceId.ShouldBe("static-1");
        described.Members.Single().Assignment.ShouldBe(new byte[] { 9, 9 });
        described.Members.Single().Metadata.ShouldBe(new byte[] { 1, 2, 3 });
    }

    [Fact]
    public void Malformed_records_are_skipped_and_partial_batches_are_left_unconsumed()
    {
        var h = new GroupHarness();
        OffsetsTopicRecord.Replay([0, 9, 1], [], false, h.Coordinator).ShouldBeFalse();
        OffsetsTopicRecord.Replay([0, 1, 0, 5], [], false, h.Coordinator).ShouldBeFalse();
        OffsetsTopicRecord.Replay(OffsetsTopicRecord.OffsetKey("g", "t", 0), [0, 3, 1], false, h.Coordinator).ShouldBeFalse();
        h.Coordinator.GroupCount.ShouldBe(0);

        var batch = OffsetsTopicBatch.Build([new(OffsetsTopicRecord.GroupKey("g"), null)], 1);
        OffsetsTopicBatch.ForEachRecord(batch.AsSpan(0, batch.Length - 1), (_, _, _, _) => throw new InvalidOperationException()).ShouldBe(0);
        OffsetsTopicBatch.ForEachRecord(new byte[80], (_, _, _, _) => { }).ShouldBe(0);
    }
}
