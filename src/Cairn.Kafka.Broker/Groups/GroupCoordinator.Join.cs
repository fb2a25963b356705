using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>Handles JoinGroup; <paramref name="respond"/> is called now or when the rebalance completes.</summary>
    public void JoinGroup(JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        JoinGroupCore(input, respond);

        // A group created by this request that did not keep anything goes away again.
        if (_groups.TryGetValue(input.GroupId, out var group) &&
            group.State == GroupState.Empty && group.Members.Count == 0 && group.PendingMembers.Count == 0 && group.Offsets.Count == 0 && group.GenerationId == 0)
        {
            _groups.Remove(group.GroupId);
        }
    }

    private void JoinGroupCore(JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.InvalidGroupId, input.MemberId));
            return;
        }

        if (input.SessionTimeoutMs < _options.MinSessionTimeoutMs || input.SessionTimeoutMs > _options.MaxSessionTimeoutMs)
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.InvalidSessionTimeout, input.MemberId));
            return;
        }

        var isUnknownMember = input.MemberId.Length == 0;
        if (!_groups.TryGetValue(input.GroupId, out var group))
        {
            if (!isUnknownMember)
            {
                respond(JoinGroupOutput.Failure(GroupErrorCode.UnknownMemberId, input.MemberId));
                return;
            }

            group = GetOrCreate(input.GroupId);
        }

        if (group.State == GroupState.Dead)
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.CoordinatorNotAvailable, input.MemberId));
            return;
        }

        var existing = isUnknownMember ? null : group.Find(input.MemberId);
        if (!group.SupportsProtocols(input.ProtocolType, input.Protocols, existing))
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.InconsistentGroupProtocol, input.MemberId));
            return;
        }

        if (isUnknownMember)
        {
            JoinUnknownMember(group, input, respond);
        }
        else
        {
            JoinKnownMember(group, input, respond);
        }
    }

    private void JoinUnknownMember(ConsumerGroup group, JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        var newMemberId = (input.ClientId.Length > 0 ? input.ClientId : "member") + "-" + Guid.NewGuid().ToString("D");
        if (input.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMembers.TryGetValue(instanceId, out var oldMemberId))
            {
                ReplaceStaticMember(group, group.Find(oldMemberId)!, newMemberId, input, respond);
            }
            else
            {
                AddMemberAndRebalance(group, newMemberId, input, respond);
            }

            return;
        }

        if (input.RequireKnownMemberId)
        {
            // KIP-394: hand out an id and wait for the member to come back with it.
            var timer = _time.CreateTimer(
                _ => _post(() => ExpirePendingMember(group.GroupId, newMemberId)), null, TimeSpan.FromMilliseconds(input.SessionTimeoutMs), Timeout.InfiniteTimeSpan);
            group.PendingMembers[newMemberId] = timer;
            respond(JoinGroupOutput.Failure(GroupErrorCode.MemberIdRequired, newMemberId));
            return;
        }

        AddMemberAndRebalance(group, newMemberId, input, respond);
    }

    private void JoinKnownMember(ConsumerGroup group, JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        if (group.PendingMembers.Remove(input.MemberId, out var pendingTimer))
        {
            pendingTimer.Dispose();
            AddMemberAndRebalance(group, input.MemberId, input, respond);
            return;
        }

        if (group.IsStaticMemberFenced(input.GroupInstanceId, input.MemberId))
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.FencedInstanceId, input.MemberId));
            return;
        }

        var member = group.Find(input.MemberId);
        if (member is null)
        {
            respond(JoinGroupOutput.Failure(GroupErrorCode.UnknownMemberId, input.MemberId));
            return;
        }

        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                UpdateMember(member, input, respond);
                TryCompleteJoin(group);
                break;
            case GroupState.CompletingRebalance:
                if (member.Matches(input.Protocols))
                {
                    // The member lost the JoinGroup response; answer it again.
                    respond(CurrentJoinResult(group, member));
                }
                else
                {
                    UpdateMember(member, input, respond);
                    PrepareRebalance(group);
                }

                break;
            case GroupState.Stable:
                if (member.MemberId == group.LeaderId || !member.Matches(input.Protocols))
                {
                    // The leader rejoining (e.g. a metadata change) or new protocols force a rebalance.
                    UpdateMember(member, input, respond);
                    PrepareRebalance(group);
                }
                else
                {
                    respond(CurrentJoinResult(group, member));
                }

                break;
            default:
                respond(JoinGroupOutput.Failure(GroupErrorCode.UnknownMemberId, input.MemberId));
                break;
        }
    }

    private JoinGroupOutput CurrentJoinResult(ConsumerGroup group, GroupMember member) =>
        new(GroupErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId ?? "", member.MemberId,
            member.MemberId == group.LeaderId ? LeaderView(group) : []);

    private static List<JoinGroupMember> LeaderView(ConsumerGroup group)
    {
        var members = new List<JoinGroupMember>(group.Members.Count);
        foreach (var m in group.Members)
        {
            members.Add(new JoinGroupMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(group.ProtocolName!)));
        }

        return members;
    }

    private void AddMemberAndRebalance(ConsumerGroup group, string memberId, JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        var member = new GroupMember(memberId, input.GroupInstanceId, input.ClientId, input.ClientHost);
        member.ProtocolType = input.ProtocolType;
        member.Protocols = input.Protocols;
        member.SessionTimeoutMs = input.SessionTimeoutMs;
        member.RebalanceTimeoutMs = input.RebalanceTimeoutMs;
        member.AwaitingJoin = respond;
        group.Add(member);
        if (group.State == GroupState.PreparingRebalance && group.InInitialDelay)
        {
            group.NewMemberAdded = true;
        }

        ArmSession(group, member);
        if (group.State == GroupState.PreparingRebalance)
        {
            TryCompleteJoin(group);
        }
        else
        {
            PrepareRebalance(group);
        }
    }

    private static void UpdateMember(GroupMember member, JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        member.Protocols = input.Protocols;
        member.ProtocolType = input.ProtocolType;
        member.SessionTimeoutMs = input.SessionTimeoutMs;
        member.RebalanceTimeoutMs = input.RebalanceTimeoutMs;
        member.ClientId = input.ClientId;
        member.ClientHost = input.ClientHost;

        // A second JoinGroup from the same member replaces the first; the first one is told to retry.
        member.AwaitingJoin?.Invoke(JoinGroupOutput.Failure(GroupErrorCode.RebalanceInProgress, member.MemberId));
        member.AwaitingJoin = respond;
    }

    private void ReplaceStaticMember(ConsumerGroup group, GroupMember old, string newMemberId, JoinGroupInput input, Action<JoinGroupOutput> respond)
    {
        var currentLeader = group.LeaderId;
        var oldMemberId = old.MemberId;

        // The old incarnation is fenced: its pending answers fail and its id stops being known.
        old.AwaitingJoin?.Invoke(JoinGroupOutput.Failure(GroupErrorCode.FencedInstanceId, oldMemberId));
        old.AwaitingJoin = null;
        old.AwaitingSync?.Invoke(SyncGroupOutput.Failure(GroupErrorCode.FencedInstanceId));
        old.AwaitingSync = null;
        old.MemberId = newMemberId;
        group.StaticMembers[input.GroupInstanceId!] = newMemberId;
        if (group.LeaderId == oldMemberId)
        {
            group.LeaderId = newMemberId;
        }

        var protocolsBefore = old.Protocols;
        old.Protocols = input.Protocols;
        old.SessionTimeoutMs = input.SessionTimeoutMs;
        old.RebalanceTimeoutMs = input.RebalanceTimeoutMs;
        old.ClientId = input.ClientId;
        old.ClientHost = input.ClientHost;
        ArmSession(group, old);

        switch (group.State)
        {
            case GroupState.Stable:
                if (group.ProtocolName == group.SelectProtocol())
                {
                    // No rebalance: the restarted member keeps its assignment (KIP-345). The old leader id is
                    // returned so that the member does not run a pointless assignment.
                    StoreGroup(group);
                    respond(new JoinGroupOutput(GroupErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, currentLeader ?? "", newMemberId, []));
                }
                else
                {
                    old.AwaitingJoin = respond;
                    PrepareRebalance(group);
                }

                break;
            case GroupState.CompletingRebalance:
                old.AwaitingJoin = respond;
                PrepareRebalance(group);
                break;
            case GroupState.PreparingRebalance:
                old.AwaitingJoin = respond;
                TryCompleteJoin(group);
                break;
            default:
                old.Protocols = protocolsBefore;
                respond(JoinGroupOutput.Failure(GroupErrorCode.UnknownMemberId, newMemberId));
                break;
        }
    }

    private void PrepareRebalance(ConsumerGroup group)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            foreach (var m in group.Members)
            {
                m.Assignment = [];
                var waiting = m.AwaitingSync;
                m.AwaitingSync = null;
                waiting?.Invoke(SyncGroupOutput.Failure(GroupErrorCode.RebalanceInProgress));
            }
        }

        var wasEmpty = group.State == GroupState.Empty;
        group.TransitionTo(GroupState.PreparingRebalance, NowMs);
        if (wasEmpty && _options.InitialRebalanceDelay > TimeSpan.Zero)
        {
            var delayMs = (long)_options.InitialRebalanceDelay.TotalMilliseconds;
            group.InInitialDelay = true;
            group.NewMemberAdded = false;
            group.InitialDelayRemainingMs = Math.Max(group.MaxRebalanceTimeoutMs() - delayMs, 0);
            ArmJoinTimer(group, delayMs);
        }
        else
        {
            group.InInitialDelay = false;
            ArmJoinTimer(group, group.MaxRebalanceTimeoutMs());
            TryCompleteJoin(group);
        }
    }

    private void ArmJoinTimer(ConsumerGroup group, long delayMs)
    {
        group.JoinTimer?.Dispose();
        var version = ++group.JoinTimerVersion;
        var groupId = group.GroupId;
        group.JoinTimer = _time.CreateTimer(
            _ => _post(() => OnJoinTimer(groupId, version)), null, TimeSpan.FromMilliseconds(delayMs), Timeout.InfiniteTimeSpan);
    }

    private void OnJoinTimer(string groupId, long version)
    {
        if (!_groups.TryGetValue(groupId, out var group) || group.JoinTimerVersion != version || group.State != GroupState.PreparingRebalance)
        {
            return;
        }

        if (group.InInitialDelay && group.NewMemberAdded && group.InitialDelayRemainingMs > 0)
        {
            // KIP-134: members are still arriving; wait another delay (bounded by the rebalance timeout).
            var delayMs = Math.Min((long)_options.InitialRebalanceDelay.TotalMilliseconds, group.InitialDelayRemainingMs);
            group.InitialDelayRemainingMs -= delayMs;
            group.NewMemberAdded = false;
            ArmJoinTimer(group, delayMs);
            return;
        }

        CompleteJoin(group);
    }

    private void TryCompleteJoin(ConsumerGroup group)
    {
        if (group.State == GroupState.PreparingRebalance && !group.InInitialDelay && group.HasAllMembersJoined)
        {
            CompleteJoin(group);
        }
    }

    private void CompleteJoin(ConsumerGroup group)
    {
        group.JoinTimer?.Dispose();
        group.JoinTimer = null;
        group.JoinTimerVersion++;
        group.InInitialDelay = false;

        // Members that did not rejoin in time are dropped, as are ids handed out but never used.
        for (var i = group.Members.Count - 1; i >= 0; i--)
        {
            var m = group.Members[i];
            if (m.AwaitingJoin is null)
            {
                RemoveMember(group, m);
            }
        }

        foreach (var (_, timer) in group.PendingMembers)
        {
            timer.Dispose();
        }

        group.PendingMembers.Clear();

        group.GenerationId++;
        if (group.Members.Count == 0)
        {
            group.ProtocolName = null;
            group.TransitionTo(GroupState.Empty, NowMs);
            StoreGroup(group);
            return;
        }

        group.ProtocolName = group.SelectProtocol();
        if (group.LeaderId is null || !group.Has(group.LeaderId))
        {
            group.LeaderId = group.Members[0].MemberId;
        }

        group.TransitionTo(GroupState.CompletingRebalance, NowMs);
        var leaderView = LeaderView(group);
        foreach (var m in group.Members)
        {
            var respond = m.AwaitingJoin!;
            m.AwaitingJoin = null;
            ArmSession(group, m);
            respond(new JoinGroupOutput(
                GroupErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId, m.MemberId,
                m.MemberId == group.LeaderId ? leaderView : []));
        }
    }

    private void ExpirePendingMember(string groupId, string memberId)
    {
        if (_groups.TryGetValue(groupId, out var group) && group.PendingMembers.Remove(memberId, out var timer))
        {
            timer.Dispose();
            TryCompleteJoin(group);
        }
    }
}
