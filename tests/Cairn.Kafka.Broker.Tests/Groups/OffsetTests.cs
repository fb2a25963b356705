using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class OffsetTests
{
    [Fact]
    public void A_simple_consumer_commits_with_generation_minus_1_and_no_member_like_kcat()
    {
        var h = new GroupHarness();
        h.Commit("g", -1, "", "t", 0, 42)[0].Error.ShouldBe(GroupErrorCode.None);
        h.Fetch("g", "t", 0).ShouldBe(42);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);
        h.Log.Offsets.ShouldContain(r => r.Group == "g" && r.Topic == "t" && r.Offset!.Offset == 42);

        // Once the group has members, anonymous commits are refused.
        h.JoinAlone("g");
        h.Commit("g", -1, "", "t", 0, 50)[0].Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Fetch("g", "t", 0).ShouldBe(42);
    }

    [Fact]
    public void A_commit_with_a_generation_for_a_group_that_does_not_exist_is_an_illegal_generation()
    {
        var h = new GroupHarness();
        h.Commit("nope", 3, "m", "t", 0, 1)[0].Error.ShouldBe(GroupErrorCode.IllegalGeneration);
        h.Coordinator.StateOf("nope").ShouldBeNull();
    }

    [Fact]
    public void Members_commit_with_their_generation_and_stale_or_unknown_members_are_fenced()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g");
        h.Commit("g", a.Generation, a.MemberId, "t", 0, 10)[0].Error.ShouldBe(GroupErrorCode.None);
        h.Commit("g", a.Generation - 1, a.MemberId, "t", 0, 11)[0].Error.ShouldBe(GroupErrorCode.IllegalGeneration);
        h.Commit("g", a.Generation, "ghost", "t", 0, 12)[0].Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Fetch("g", "t", 0).ShouldBe(10);
    }

    [Fact]
    public void Commits_during_a_rebalance_follow_Kafka_preparing_accepts_the_current_generation_completing_refuses()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g");
        var b = h.Join("g");
        h.Coordinator.StateOf("g").ShouldBe(GroupState.PreparingRebalance);

        // Members commit what they processed before rejoining.
        h.Commit("g", a.Generation, a.MemberId, "t", 0, 20)[0].Error.ShouldBe(GroupErrorCode.None);

        var aj = h.Join("g", memberId: a.MemberId).Value;
        b.IsDone.ShouldBeTrue();
        h.Coordinator.StateOf("g").ShouldBe(GroupState.CompletingRebalance);
        h.Commit("g", aj.GenerationId, a.MemberId, "t", 0, 21)[0].Error.ShouldBe(GroupErrorCode.RebalanceInProgress);
        h.Commit("g", a.Generation, a.MemberId, "t", 0, 22)[0].Error.ShouldBe(GroupErrorCode.IllegalGeneration);
        h.Fetch("g", "t", 0).ShouldBe(20);

        h.Sync("g", aj.GenerationId, aj.MemberId, new());
        h.Commit("g", aj.GenerationId, a.MemberId, "t", 0, 23)[0].Error.ShouldBe(GroupErrorCode.None);
        h.Fetch("g", "t", 0).ShouldBe(23);
    }

    [Fact]
    public void Commits_to_unknown_partitions_and_oversized_metadata_fail_per_partition()
    {
        var h = new GroupHarness(partitionExists: (topic, partition) => topic == "t" && partition < 2);
        var results = h.Coordinator.OffsetCommit(new OffsetCommitInput("g", -1, "", null,
        [
            new("t", 0, 5, -1, "ok"),
            new("t", 7, 5, -1, null),
            new("missing", 0, 5, -1, null),
            new("t", 1, 5, -1, new string('x', 5000)),
        ]));
        results.Select(r => r.Error).ShouldBe([GroupErrorCode.None, GroupErrorCode.UnknownTopicOrPartition, GroupErrorCode.UnknownTopicOrPartition, GroupErrorCode.OffsetMetadataTooLarge]);
        h.Fetch("g", "t", 0).ShouldBe(5);
        h.Fetch("g", "t", 1).ShouldBe(-1);
    }

    [Fact]
    public void OffsetFetch_returns_minus_1_for_uncommitted_partitions_and_everything_when_topics_is_null()
    {
        var h = new GroupHarness();
        h.Commit("g", -1, "", "a", 0, 1);
        h.Commit("g", -1, "", "b", 3, 2);
        h.Fetch("g", "a", 1).ShouldBe(-1);
        h.Fetch("unknown-group", "a", 0).ShouldBe(-1);
        var all = h.Coordinator.OffsetFetch(new OffsetFetchInput("g", null));
        all.Partitions.Select(p => (p.Topic, p.Partition, p.Offset)).OrderBy(p => p.Topic).ShouldBe([("a", 0, 1L), ("b", 3, 2L)]);
        h.Coordinator.OffsetFetch(new OffsetFetchInput("nobody", null)).Partitions.ShouldBeEmpty();
    }

    [Fact]
    public void Offsets_of_an_empty_group_expire_after_the_retention_and_the_group_disappears()
    {
        var h = new GroupHarness();
        h.Options.OffsetsRetention.ShouldBe(TimeSpan.FromDays(7));
        var a = h.JoinAlone("g", sessionMs: 1_800_000);
        h.Commit("g", a.Generation, a.MemberId, "t", 0, 9);
        h.Coordinator.StartOffsetsRetention();

        // Active groups keep their offsets however old they are.
        for (var i = 0; i < 8 * 24 * 3; i++)
        {
            h.Clock.Advance(TimeSpan.FromMinutes(20));
            h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.None);
        }

        h.Fetch("g", "t", 0).ShouldBe(9);
        h.Coordinator.LeaveGroup(new LeaveGroupInput("g", [new(a.MemberId, null)]));
        h.Clock.Advance(TimeSpan.FromDays(6));
        h.Fetch("g", "t", 0).ShouldBe(9);
        h.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10));
        h.Fetch("g", "t", 0).ShouldBe(-1);
        h.Coordinator.StateOf("g").ShouldBeNull();
        h.Log.Offsets.Last().Offset.ShouldBeNull();
        h.Log.Groups.Last().Group2.ShouldBeNull();
    }

    [Fact]
    public void Replaying_the_log_restores_offsets_and_a_stable_group_whose_silent_members_then_expire()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g", assignment: [4, 2]);
        h.Commit("g", a.Generation, a.MemberId, "t", 0, 77);
        h.Commit("solo", -1, "", "t", 1, 5);
        h.Coordinator.DeleteGroups(["solo"]);

        var restarted = new GroupHarness();
        foreach (var (group, topic, partition, offset) in h.Log.Offsets)
        {
            restarted.Coordinator.LoadOffset(group, topic, partition, offset);
        }

        foreach (var (group, stored) in h.Log.Groups)
        {
            restarted.Coordinator.LoadGroup(group, stored);
        }

        restarted.Coordinator.CompleteLoad();
        restarted.Fetch("g", "t", 0).ShouldBe(77);
        restarted.Fetch("solo", "t", 1).ShouldBe(-1);
        restarted.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
        restarted.Coordinator.GenerationOf("g").ShouldBe(a.Generation);
        restarted.Sync("g", a.Generation, a.MemberId).Value.Assignment.ShouldBe(new byte[] { 4, 2 });

        restarted.Advance(10_001);
        restarted.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);
        restarted.Fetch("g", "t", 0).ShouldBe(77);
    }
}
