using System.Buffers.Binary;
using System.Text;
using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class AdminTests
{
    [Fact]
    public void DescribeGroups_shows_members_with_metadata_only_when_stable_and_unknown_groups_as_dead()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g", assignment: [5]);
        var described = h.Coordinator.DescribeGroups(["g", "unknown"]);
        described[0].State.ShouldBe("Stable");
        described[0].ProtocolType.ShouldBe("consumer");
        described[0].ProtocolName.ShouldBe("range");
        described[0].Members.Single().MemberId.ShouldBe(a.MemberId);
        described[0].Members.Single().Assignment.ShouldBe(new byte[] { 5 });
        described[1].State.ShouldBe("Dead");
        described[1].Error.ShouldBe(GroupErrorCode.None);

        h.Join("g");
        var preparing = h.Coordinator.DescribeGroups(["g"])[0];
        preparing.State.ShouldBe("PreparingRebalance");
        preparing.ProtocolName.ShouldBe("");
        preparing.Members.ShouldAllBe(m => m.Assignment.Length == 0);
    }

    [Fact]
    public void ListGroups_filters_by_state_case_insensitively()
    {
        var h = new GroupHarness();
        h.JoinAlone("stable");
        h.Commit("empty", -1, "", "t", 0, 1);
        h.Coordinator.ListGroups(null).Select(g => g.GroupId).Order().ShouldBe(["empty", "stable"]);
        h.Coordinator.ListGroups(["stable"]).Single().GroupId.ShouldBe("stable");
        h.Coordinator.ListGroups(["Empty"]).Single().ProtocolType.ShouldBe("");
        h.Coordinator.ListGroups(["Dead"]).ShouldBeEmpty();
    }

    [Fact]
    public void DeleteGroups_refuses_groups_with_members_and_unknown_ones()
    {
        var h = new GroupHarness();
        h.JoinAlone("busy");
        h.Commit("idle", -1, "", "t", 0, 1);
        var results = h.Coordinator.DeleteGroups(["busy", "idle", "ghost", ""]);
        results.Select(r => r.Error).ShouldBe([GroupErrorCode.NonEmptyGroup, GroupErrorCode.None, GroupErrorCode.GroupIdNotFound, GroupErrorCode.InvalidGroupId]);
        h.Coordinator.StateOf("idle").ShouldBeNull();
        h.Fetch("idle", "t", 0).ShouldBe(-1);
        h.Coordinator.StateOf("busy").ShouldBe(GroupState.Stable);
    }

    [Fact]
    public void OffsetDelete_refuses_topics_the_group_subscribes_to_and_deletes_the_others()
    {
        var h = new GroupHarness();
        var subscription = Subscription("orders");
        var join = h.Join("g", protocols: [new("range", subscription)]).Value;
        h.Sync("g", join.GenerationId, join.MemberId, new());
        h.Commit("g", join.GenerationId, join.MemberId, "orders", 0, 1);
        h.Commit("g", join.GenerationId, join.MemberId, "old", 0, 2);

        var result = h.Coordinator.OffsetDelete("g", [new TopicPartitions("orders", [0]), new TopicPartitions("old", [0])]);
        result.Error.ShouldBe(GroupErrorCode.None);
        result.Partitions.Select(p => p.Error).ShouldBe([GroupErrorCode.GroupSubscribedToTopic, GroupErrorCode.None]);
        h.Fetch("g", "orders", 0).ShouldBe(1);
        h.Fetch("g", "old", 0).ShouldBe(-1);
        h.Coordinator.OffsetDelete("ghost", [new TopicPartitions("t", [0])]).Error.ShouldBe(GroupErrorCode.GroupIdNotFound);
    }

    [Fact]
    public void OffsetDelete_on_an_empty_group_deletes_and_the_group_goes_once_no_offsets_are_left()
    {
        var h = new GroupHarness();
        h.Commit("g", -1, "", "t", 0, 1);
        h.Coordinator.OffsetDelete("g", [new TopicPartitions("t", [0])]).Partitions.Single().Error.ShouldBe(GroupErrorCode.None);
        h.Coordinator.StateOf("g").ShouldBeNull();
    }

    private static byte[] Subscription(params string[] topics)
    {
        using var ms = new MemoryStream();
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt16BigEndian(b, 1);
        ms.Write(b[..2]);
        BinaryPrimitives.WriteInt32BigEndian(b, topics.Length);
        ms.Write(b);
        foreach (var t in topics)
        {
            var bytes = Encoding.UTF8.GetBytes(t);
            BinaryPrimitives.WriteInt16BigEndian(b, (short)bytes.Length);
            ms.Write(b[..2]);
            ms.Write(bytes);
        }

        ms.Write([0, 0, 0, 0]);
        return ms.ToArray();
    }
}
