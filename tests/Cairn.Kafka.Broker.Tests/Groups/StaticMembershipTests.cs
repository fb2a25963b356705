using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class StaticMembershipTests
{
    [Fact]
    public void A_restarted_static_member_gets_a_new_id_and_its_old_assignment_without_a_rebalance()
    {
        var h = new GroupHarness();
        var a = h.Join("g", instanceId: "i-a", sessionMs: 60_000);
        var b = h.Join("g", instanceId: "i-b", sessionMs: 60_000);
        var aj = h.Join("g", memberId: a.Value.MemberId, instanceId: "i-a", sessionMs: 60_000).Value;
        var bs = h.Sync("g", aj.GenerationId, b.Value.MemberId, instanceId: "i-b");
        h.Sync("g", aj.GenerationId, aj.MemberId, new() { [aj.MemberId] = [1], [b.Value.MemberId] = [2] }, instanceId: "i-a");
        bs.Value.Assignment.ShouldBe(new byte[] { 2 });
        var generation = aj.GenerationId;

        // b restarts: new process, no member id, same instance id.
        var restarted = h.Join("g", instanceId: "i-b", sessionMs: 60_000);
        restarted.Value.Error.ShouldBe(GroupErrorCode.None);
        restarted.Value.MemberId.ShouldNotBe(b.Value.MemberId);
        restarted.Value.GenerationId.ShouldBe(generation);
        restarted.Value.LeaderId.ShouldBe(aj.MemberId);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
        h.Sync("g", generation, restarted.Value.MemberId, instanceId: "i-b").Value.Assignment.ShouldBe(new byte[] { 2 });
        h.Heartbeat("g", generation, aj.MemberId, "i-a").ShouldBe(GroupErrorCode.None);

        // The old incarnation is fenced.
        h.Heartbeat("g", generation, b.Value.MemberId, "i-b").ShouldBe(GroupErrorCode.FencedInstanceId);
        h.Commit("g", generation, b.Value.MemberId, "t", 0, 5, "i-b")[0].Error.ShouldBe(GroupErrorCode.FencedInstanceId);
        h.Join("g", memberId: b.Value.MemberId, instanceId: "i-b").Value.Error.ShouldBe(GroupErrorCode.FencedInstanceId);
    }

    [Fact]
    public void A_static_leader_that_restarts_keeps_the_leadership_under_its_new_id()
    {
        var h = new GroupHarness();
        var (leader, generation) = h.JoinAlone("g", instanceId: "i-a");
        var again = h.Join("g", instanceId: "i-a");
        again.Value.LeaderId.ShouldBe(leader);
        h.Coordinator.DescribeGroups(["g"])[0].Members.Single().MemberId.ShouldBe(again.Value.MemberId);
        h.Coordinator.GenerationOf("g").ShouldBe(generation);
    }

    [Fact]
    public void An_admin_LeaveGroup_by_instance_id_removes_a_static_member()
    {
        var h = new GroupHarness();
        h.JoinAlone("g", instanceId: "i-a");
        var result = h.Coordinator.LeaveGroup(new LeaveGroupInput("g", [new("", "i-a"), new("", "i-unknown")]));
        result.Members[0].Error.ShouldBe(GroupErrorCode.None);
        result.Members[1].Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);
    }

    [Fact]
    public void A_static_member_that_misses_its_session_is_removed_like_any_other()
    {
        var h = new GroupHarness();
        h.JoinAlone("g", instanceId: "i-a", sessionMs: 30_000);
        h.Advance(30_000);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);
        var fresh = h.Join("g", instanceId: "i-a");
        fresh.Value.Error.ShouldBe(GroupErrorCode.None);
        fresh.Value.Members.Count.ShouldBe(1);
    }
}
