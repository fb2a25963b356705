using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class SessionAndLeaveTests
{
    [Fact]
    public void Heartbeats_keep_a_member_beyond_its_session_timeout()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g", sessionMs: 10_000);
        for (var i = 0; i < 10; i++)
        {
            h.Advance(3000);
            h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.None);
        }

        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
    }

    [Fact]
    public void A_member_that_stops_heartbeating_is_removed_and_the_survivor_owns_the_group_after_rejoining()
    {
        var h = new GroupHarness();
        var a = h.Join("g", sessionMs: 10_000);
        var b = h.Join("g", sessionMs: 10_000);
        var aj = h.Join("g", memberId: a.Value.MemberId).Value;
        var bs = h.Sync("g", aj.GenerationId, b.Value.MemberId);
        h.Sync("g", aj.GenerationId, aj.MemberId, new() { [aj.MemberId] = [1], [b.Value.MemberId] = [2] });
        bs.Value.Error.ShouldBe(GroupErrorCode.None);

        // b dies; a keeps heartbeating.
        h.Advance(6000);
        h.Heartbeat("g", aj.GenerationId, aj.MemberId).ShouldBe(GroupErrorCode.None);
        h.Advance(4001);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.PreparingRebalance);
        h.Heartbeat("g", aj.GenerationId, aj.MemberId).ShouldBe(GroupErrorCode.RebalanceInProgress);
        h.Heartbeat("g", aj.GenerationId, b.Value.MemberId).ShouldBe(GroupErrorCode.UnknownMemberId);

        var rejoin = h.Join("g", memberId: aj.MemberId);
        rejoin.Value.GenerationId.ShouldBe(aj.GenerationId + 1);
        rejoin.Value.Members.Count.ShouldBe(1);
        h.Sync("g", rejoin.Value.GenerationId, aj.MemberId, new() { [aj.MemberId] = [1, 2] }).Value.Assignment.ShouldBe(new byte[] { 1, 2 });
    }

    [Fact]
    public void A_member_that_does_not_rejoin_within_the_rebalance_timeout_is_dropped()
    {
        var h = new GroupHarness();
        var a = h.Join("g", sessionMs: 60_000, rebalanceMs: 20_000);
        var b = h.Join("g", sessionMs: 60_000, rebalanceMs: 20_000);
        var aj = h.Join("g", memberId: a.Value.MemberId, sessionMs: 60_000, rebalanceMs: 20_000).Value;
        var bs = h.Sync("g", aj.GenerationId, b.Value.MemberId);
        h.Sync("g", aj.GenerationId, aj.MemberId, new());
        bs.IsDone.ShouldBeTrue();

        // A third member arrives; only a rejoins, b is stuck (heartbeats but never rejoins).
        var c = h.Join("g", sessionMs: 60_000, rebalanceMs: 20_000);
        var aAgain = h.Join("g", memberId: aj.MemberId, sessionMs: 60_000, rebalanceMs: 20_000);
        h.Advance(10_000);
        h.Heartbeat("g", aj.GenerationId, b.Value.MemberId).ShouldBe(GroupErrorCode.RebalanceInProgress);
        aAgain.IsDone.ShouldBeFalse();
        h.Advance(10_000);
        aAgain.Value.Error.ShouldBe(GroupErrorCode.None);
        c.Value.Error.ShouldBe(GroupErrorCode.None);
        aAgain.Value.Members.Count.ShouldBe(2);
        h.Heartbeat("g", aAgain.Value.GenerationId, b.Value.MemberId).ShouldBe(GroupErrorCode.UnknownMemberId);
    }

    [Fact]
    public void Members_parked_in_a_rebalance_are_not_expired_by_their_session_timeout()
    {
        var h = new GroupHarness();
        var a = h.Join("g", sessionMs: 10_000, rebalanceMs: 60_000);
        var aj = h.Sync("g", 1, a.Value.MemberId, new());
        aj.IsDone.ShouldBeTrue();
        var b = h.Join("g", sessionMs: 6_000, rebalanceMs: 60_000);
        h.Advance(8_000);
        b.IsDone.ShouldBeFalse();
        h.Advance(2_000);

        // b waited 10 s (beyond its own 6 s session) for a; a was expired (no heartbeats), so b completes alone.
        b.Value.Error.ShouldBe(GroupErrorCode.None);
        b.Value.Members.Count.ShouldBe(1);
        b.Value.LeaderId.ShouldBe(b.Value.MemberId);
    }

    [Fact]
    public void LeaveGroup_v3_removes_several_members_and_reports_unknown_ones_per_member()
    {
        var h = new GroupHarness();
        var a = h.Join("g");
        var b = h.Join("g");
        var aj = h.Join("g", memberId: a.Value.MemberId).Value;
        h.Sync("g", aj.GenerationId, b.Value.MemberId);
        h.Sync("g", aj.GenerationId, aj.MemberId, new());

        var result = h.Coordinator.LeaveGroup(new LeaveGroupInput("g", [new(aj.MemberId, null), new(b.Value.MemberId, null), new("ghost", null)]));
        result.Error.ShouldBe(GroupErrorCode.None);
        result.Members.Select(m => m.Error).ShouldBe([GroupErrorCode.None, GroupErrorCode.None, GroupErrorCode.UnknownMemberId]);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);
        h.Coordinator.GenerationOf("g").ShouldBe(aj.GenerationId + 1);
    }

    [Fact]
    public void The_last_member_leaving_empties_the_group_and_a_leaving_leader_hands_over()
    {
        var h = new GroupHarness();
        var a = h.Join("g", clientId: "a");
        var b = h.Join("g", clientId: "b");
        var aj = h.Join("g", memberId: a.Value.MemberId).Value;
        h.Sync("g", aj.GenerationId, b.Value.MemberId);
        h.Sync("g", aj.GenerationId, aj.MemberId, new());

        h.Coordinator.LeaveGroup(new LeaveGroupInput("g", [new(aj.MemberId, null)])).Members[0].Error.ShouldBe(GroupErrorCode.None);
        var bj = h.Join("g", memberId: b.Value.MemberId);
        bj.Value.LeaderId.ShouldBe(b.Value.MemberId);
        bj.Value.Members.Count.ShouldBe(1);
        h.Coordinator.LeaveGroup(new LeaveGroupInput("nope", [new("x", null)])).Members[0].Error.ShouldBe(GroupErrorCode.UnknownMemberId);
    }
}
