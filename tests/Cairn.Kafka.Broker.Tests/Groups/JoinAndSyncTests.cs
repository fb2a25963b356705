using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Tests.Groups;

public class JoinAndSyncTests
{
    [Fact]
    public void A_lone_member_without_initial_delay_becomes_leader_of_generation_1_and_gets_its_assignment()
    {
        var h = new GroupHarness();
        var join = h.Join("g");
        join.IsDone.ShouldBeTrue();
        join.Value.Error.ShouldBe(GroupErrorCode.None);
        join.Value.GenerationId.ShouldBe(1);
        join.Value.ProtocolName.ShouldBe("range");
        join.Value.LeaderId.ShouldBe(join.Value.MemberId);
        join.Value.Members.Count.ShouldBe(1);
        join.Value.Members[0].Metadata.ShouldBe(new byte[] { 1 });
        h.Coordinator.StateOf("g").ShouldBe(GroupState.CompletingRebalance);

        var sync = h.Sync("g", 1, join.Value.MemberId, new() { [join.Value.MemberId] = [7, 7] });
        sync.Value.Error.ShouldBe(GroupErrorCode.None);
        sync.Value.Assignment.ShouldBe(new byte[] { 7, 7 });
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
        h.Log.Groups.ShouldContain(r => r.Group == "g" && r.Group2 != null && r.Group2.GenerationId == 1 && r.Group2.Members.Count == 1);
    }

    [Fact]
    public void JoinGroup_v4_asks_for_a_member_id_first_and_accepts_the_rejoin_with_it()
    {
        var h = new GroupHarness();
        var first = h.Join("g", v4: true);
        first.Value.Error.ShouldBe(GroupErrorCode.MemberIdRequired);
        first.Value.MemberId.ShouldNotBeNullOrEmpty();
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Empty);

        var second = h.Join("g", memberId: first.Value.MemberId, v4: true);
        second.Value.Error.ShouldBe(GroupErrorCode.None);
        second.Value.MemberId.ShouldBe(first.Value.MemberId);
        second.Value.GenerationId.ShouldBe(1);
    }

    [Fact]
    public void JoinGroup_below_v4_never_answers_member_id_required()
    {
        var h = new GroupHarness();
        var join = h.Join("g", v4: false);
        join.Value.Error.ShouldBe(GroupErrorCode.None);
        join.Value.MemberId.ShouldStartWith("c-");
    }

    [Fact]
    public void A_pending_member_id_that_never_comes_back_expires_and_does_not_block_the_rebalance()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g");
        var pending = h.Join("g", v4: true, sessionMs: 6_000);
        pending.Value.Error.ShouldBe(GroupErrorCode.MemberIdRequired);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);

        h.Advance(6_000);
        h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.None);
        h.Join("g", memberId: pending.Value.MemberId, v4: true).Value.Error.ShouldBe(GroupErrorCode.UnknownMemberId);
    }

    [Fact]
    public void The_initial_delay_collects_members_that_arrive_during_it_into_one_generation()
    {
        var h = new GroupHarness(initialDelay: TimeSpan.FromMilliseconds(3000));
        var a = h.Join("g", clientId: "a");
        h.Advance(1000);
        var b = h.Join("g", clientId: "b");
        a.IsDone.ShouldBeFalse();
        b.IsDone.ShouldBeFalse();
        h.Coordinator.StateOf("g").ShouldBe(GroupState.PreparingRebalance);

        // b arrived during the first delay, so the delay is extended once more.
        h.Advance(2000);
        a.IsDone.ShouldBeFalse();
        h.Advance(3000);
        a.Value.Error.ShouldBe(GroupErrorCode.None);
        b.Value.Error.ShouldBe(GroupErrorCode.None);
        a.Value.GenerationId.ShouldBe(1);
        b.Value.GenerationId.ShouldBe(1);
        a.Value.LeaderId.ShouldBe(a.Value.MemberId);
        a.Value.Members.Count.ShouldBe(2);
        b.Value.Members.ShouldBeEmpty();
    }

    [Fact]
    public void The_initial_delay_is_bounded_by_the_rebalance_timeout()
    {
        var h = new GroupHarness(initialDelay: TimeSpan.FromMilliseconds(3000));
        var first = h.Join("g", rebalanceMs: 6000);
        for (var i = 0; i < 5; i++)
        {
            h.Advance(1000);
            h.Join("g", rebalanceMs: 6000);
        }

        h.Advance(1000);
        first.IsDone.ShouldBeTrue();
        first.Value.Members.Count.ShouldBe(6);
    }

    [Fact]
    public void A_new_member_triggers_a_rebalance_that_the_old_member_learns_from_its_heartbeat()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g");
        var b = h.Join("g", clientId: "b");
        b.IsDone.ShouldBeFalse();
        h.Coordinator.StateOf("g").ShouldBe(GroupState.PreparingRebalance);
        h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.RebalanceInProgress);

        var aRejoin = h.Join("g", memberId: a.MemberId);
        aRejoin.Value.GenerationId.ShouldBe(2);
        b.Value.GenerationId.ShouldBe(2);
        aRejoin.Value.LeaderId.ShouldBe(a.MemberId);
        aRejoin.Value.Members.Count.ShouldBe(2);

        // The follower's SyncGroup waits for the leader's.
        var bSync = h.Sync("g", 2, b.Value.MemberId);
        bSync.IsDone.ShouldBeFalse();
        var aSync = h.Sync("g", 2, a.MemberId, new() { [a.MemberId] = [1], [b.Value.MemberId] = [2] });
        aSync.Value.Assignment.ShouldBe(new byte[] { 1 });
        bSync.Value.Error.ShouldBe(GroupErrorCode.None);
        bSync.Value.Assignment.ShouldBe(new byte[] { 2 });
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
    }

    [Fact]
    public void A_member_left_out_of_the_leaders_assignment_gets_empty_bytes()
    {
        var h = new GroupHarness();
        var a = h.Join("g");
        var b = h.Join("g");
        var rejoin = h.Join("g", memberId: a.Value.MemberId);
        var bSync = h.Sync("g", rejoin.Value.GenerationId, b.Value.MemberId);
        h.Sync("g", rejoin.Value.GenerationId, a.Value.MemberId, new() { [a.Value.MemberId] = [1] });
        bSync.Value.Error.ShouldBe(GroupErrorCode.None);
        bSync.Value.Assignment.ShouldBeEmpty();
    }

    [Fact]
    public void A_stable_follower_rejoining_with_the_same_metadata_gets_the_current_generation_without_a_rebalance()
    {
        var h = new GroupHarness();
        var a = h.Join("g");
        var b = h.Join("g");
        var aj = h.Join("g", memberId: a.Value.MemberId).Value;
        var bs = h.Sync("g", aj.GenerationId, b.Value.MemberId);
        h.Sync("g", aj.GenerationId, aj.MemberId, new() { [aj.MemberId] = [1], [b.Value.MemberId] = [2] });
        bs.Value.Assignment.ShouldBe(new byte[] { 2 });

        var again = h.Join("g", memberId: b.Value.MemberId);
        again.Value.Error.ShouldBe(GroupErrorCode.None);
        again.Value.GenerationId.ShouldBe(aj.GenerationId);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
    }

    [Fact]
    public void A_new_rebalance_fails_a_followers_waiting_SyncGroup_with_rebalance_in_progress()
    {
        var h = new GroupHarness();
        var a = h.Join("g");
        var b = h.Join("g");
        var aj = h.Join("g", memberId: a.Value.MemberId).Value;
        var bSync = h.Sync("g", aj.GenerationId, b.Value.MemberId);
        bSync.IsDone.ShouldBeFalse();

        var c = h.Join("g");
        bSync.Value.Error.ShouldBe(GroupErrorCode.RebalanceInProgress);
        c.IsDone.ShouldBeFalse();
        h.Sync("g", aj.GenerationId, aj.MemberId, new()).Value.Error.ShouldBe(GroupErrorCode.RebalanceInProgress);
    }

    [Fact]
    public void Protocol_selection_picks_a_protocol_every_member_supports_by_the_members_preferences()
    {
        var h = new GroupHarness();
        var a = h.Join("g", protocols: [new("cooperative-sticky", []), new("range", [])]);
        var b = h.Join("g", protocols: [new("range", []), new("roundrobin", [])]);
        var aj = h.Join("g", memberId: a.Value.MemberId, protocols: [new("cooperative-sticky", []), new("range", [])]);
        aj.Value.ProtocolName.ShouldBe("range");
        b.Value.ProtocolName.ShouldBe("range");
    }

    [Fact]
    public void A_member_without_a_common_protocol_or_with_another_protocol_type_is_rejected_and_the_group_is_unchanged()
    {
        var h = new GroupHarness();
        var a = h.JoinAlone("g");
        h.Join("g", protocols: [new("RoundRobinAssigner", [])]).Value.Error.ShouldBe(GroupErrorCode.InconsistentGroupProtocol);
        h.Join("g", protocolType: "connect").Value.Error.ShouldBe(GroupErrorCode.InconsistentGroupProtocol);
        h.Join("other", protocols: []).Value.Error.ShouldBe(GroupErrorCode.InconsistentGroupProtocol);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
        h.Coordinator.StateOf("other").ShouldBeNull();
        h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.None);
    }

    [Fact]
    public void Bad_requests_get_Kafkas_error_codes()
    {
        var h = new GroupHarness();
        h.Join("").Value.Error.ShouldBe(GroupErrorCode.InvalidGroupId);
        h.Join("g", sessionMs: 10).Value.Error.ShouldBe(GroupErrorCode.InvalidSessionTimeout);
        h.Join("g", sessionMs: 2_000_000).Value.Error.ShouldBe(GroupErrorCode.InvalidSessionTimeout);
        h.Join("g", memberId: "ghost").Value.Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Sync("g", 1, "ghost").Value.Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Heartbeat("g", 1, "ghost").ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Coordinator.GroupCount.ShouldBe(0);

        var a = h.JoinAlone("g");
        h.Join("g", memberId: "ghost").Value.Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Sync("g", a.Generation + 1, a.MemberId).Value.Error.ShouldBe(GroupErrorCode.IllegalGeneration);
        h.Sync("g", a.Generation, "ghost").Value.Error.ShouldBe(GroupErrorCode.UnknownMemberId);
        h.Coordinator.SyncGroup(new SyncGroupInput("g", a.Generation, a.MemberId, null, "consumer", "roundrobin", new Dictionary<string, byte[]>()), r => r.Error.ShouldBe(GroupErrorCode.InconsistentGroupProtocol));
        h.Heartbeat("g", a.Generation - 1, a.MemberId).ShouldBe(GroupErrorCode.IllegalGeneration);
        h.Heartbeat("g", a.Generation, a.MemberId).ShouldBe(GroupErrorCode.None);
        h.Coordinator.StateOf("g").ShouldBe(GroupState.Stable);
    }
}
