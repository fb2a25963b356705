using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>Handles SyncGroup; followers are answered when the leader's assignment arrives.</summary>
    public void SyncGroup(SyncGroupInput input, Action<SyncGroupOutput> respond)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.InvalidGroupId));
            return;
        }

        if (!_groups.TryGetValue(input.GroupId, out var group))
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.UnknownMemberId));
            return;
        }

        if (group.State == GroupState.Dead)
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.CoordinatorNotAvailable));
            return;
        }

        if (group.IsStaticMemberFenced(input.GroupInstanceId, input.MemberId))
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.FencedInstanceId));
            return;
        }

        var member = group.Find(input.MemberId);
        if (member is null)
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.UnknownMemberId));
            return;
        }

        if (input.GenerationId != group.GenerationId)
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.IllegalGeneration));
            return;
        }

        if ((input.ProtocolType is not null && input.ProtocolType != group.ProtocolType) ||
            (input.ProtocolName is not null && input.ProtocolName != group.ProtocolName))
        {
            respond(SyncGroupOutput.Failure(GroupErrorCode.InconsistentGroupProtocol));
            return;
        }

        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                respond(SyncGroupOutput.Failure(GroupErrorCode.RebalanceInProgress));
                return;
            case GroupState.CompletingRebalance:
                ArmSession(group, member);
                member.AwaitingSync?.Invoke(SyncGroupOutput.Failure(GroupErrorCode.RebalanceInProgress));
                member.AwaitingSync = respond;
                if (member.MemberId == group.LeaderId)
                {
                    foreach (var m in group.Members)
                    {
                        m.Assignment = input.Assignments.TryGetValue(m.MemberId, out var bytes) ? bytes : [];
                    }

                    group.TransitionTo(GroupState.Stable, NowMs);
                    StoreGroup(group);
                    foreach (var m in group.Members)
                    {
                        var waiting = m.AwaitingSync;
                        m.AwaitingSync = null;
                        waiting?.Invoke(new SyncGroupOutput(GroupErrorCode.None, group.ProtocolType, group.ProtocolName, m.Assignment));
                    }
                }

                return;
            case GroupState.Stable:
                ArmSession(group, member);
                respond(new SyncGroupOutput(GroupErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment));
                return;
            default:
                respond(SyncGroupOutput.Failure(GroupErrorCode.UnknownMemberId));
                return;
        }
    }

    /// <summary>Handles Heartbeat: keeps the session alive; REBALANCE_IN_PROGRESS tells the member to rejoin.</summary>
    public GroupErrorCode Heartbeat(HeartbeatInput input)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            return GroupErrorCode.InvalidGroupId;
        }

        if (!_groups.TryGetValue(input.GroupId, out var group))
        {
            return GroupErrorCode.UnknownMemberId;
        }

        if (group.State == GroupState.Dead)
        {
            return GroupErrorCode.CoordinatorNotAvailable;
        }

        if (group.IsStaticMemberFenced(input.GroupInstanceId, input.MemberId))
        {
            return GroupErrorCode.FencedInstanceId;
        }

        var member = group.Find(input.MemberId);
        if (member is null || group.State == GroupState.Empty)
        {
            return GroupErrorCode.UnknownMemberId;
        }

        if (input.GenerationId != group.GenerationId)
        {
            return GroupErrorCode.IllegalGeneration;
        }

        ArmSession(group, member);
        return group.State == GroupState.PreparingRebalance ? GroupErrorCode.RebalanceInProgress : GroupErrorCode.None;
    }

    /// <summary>Handles LeaveGroup for one or more members (v3+ batches, also by instance id).</summary>
    public LeaveGroupOutput LeaveGroup(LeaveGroupInput input)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            return new LeaveGroupOutput(GroupErrorCode.InvalidGroupId, []);
        }

        var results = new List<LeavingMemberResult>(input.Members.Count);
        if (!_groups.TryGetValue(input.GroupId, out var group))
        {
            foreach (var l in input.Members)
            {
                results.Add(new LeavingMemberResult(l.MemberId, l.GroupInstanceId, GroupErrorCode.UnknownMemberId));
            }

            return new LeaveGroupOutput(GroupErrorCode.None, results);
        }

        if (group.State == GroupState.Dead)
        {
            return new LeaveGroupOutput(GroupErrorCode.CoordinatorNotAvailable, []);
        }

        var removedAny = false;
        foreach (var l in input.Members)
        {
            var memberId = l.MemberId;
            if (memberId.Length == 0 && l.GroupInstanceId is { } byInstance)
            {
                memberId = group.StaticMembers.GetValueOrDefault(byInstance) ?? "";
            }

            GroupErrorCode error;
            if (memberId.Length == 0)
            {
                error = GroupErrorCode.UnknownMemberId;
            }
            else if (group.IsStaticMemberFenced(l.GroupInstanceId, memberId))
            {
                error = GroupErrorCode.FencedInstanceId;
            }
            else if (group.PendingMembers.Remove(memberId, out var pendingTimer))
            {
                pendingTimer.Dispose();
                error = GroupErrorCode.None;
                removedAny = true;
            }
            else if (group.Find(memberId) is { } member)
            {
                RemoveMember(group, member);
                error = GroupErrorCode.None;
                removedAny = true;
            }
            else
            {
                error = GroupErrorCode.UnknownMemberId;
            }

            results.Add(new LeavingMemberResult(l.MemberId, l.GroupInstanceId, error));
        }

        if (removedAny)
        {
            AfterMembershipChange(group);
        }

        return new LeaveGroupOutput(GroupErrorCode.None, results);
    }

    private void RemoveMember(ConsumerGroup group, GroupMember member)
    {
        member.SessionTimer?.Dispose();
        member.SessionTimer = null;
        var join = member.AwaitingJoin;
        member.AwaitingJoin = null;
        var sync = member.AwaitingSync;
        member.AwaitingSync = null;
        group.Remove(member);
        join?.Invoke(JoinGroupOutput.Failure(GroupErrorCode.UnknownMemberId, member.MemberId));
        sync?.Invoke(SyncGroupOutput.Failure(GroupErrorCode.UnknownMemberId));
    }

    private void AfterMembershipChange(ConsumerGroup group)
    {
        switch (group.State)
        {
            case GroupState.Stable:
            case GroupState.CompletingRebalance:
                PrepareRebalance(group);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group);
                break;
        }
    }

    private void ArmSession(ConsumerGroup group, GroupMember member)
    {
        var due = TimeSpan.FromMilliseconds(member.SessionTimeoutMs);
        member.SessionDeadlineMs = NowMs + member.SessionTimeoutMs;
        if (member.SessionTimer is null)
        {
            var groupId = group.GroupId;
            member.SessionTimer = _time.CreateTimer(_ => _post(() => OnSessionExpired(groupId, member)), null, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            member.SessionTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSessionExpired(string groupId, GroupMember member)
    {
        if (!_groups.TryGetValue(groupId, out var group) || !group.Members.Contains(member))
        {
            return;
        }

        // A heartbeat that arrived after the timer fired but before this ran has moved the deadline; and the
        // timer (monotonic clock) may fire a little before the wall-clock deadline. Either way, wait for the rest.
        var remainingMs = member.SessionDeadlineMs - NowMs;
        if (remainingMs > 0)
        {
            member.SessionTimer?.Change(TimeSpan.FromMilliseconds(remainingMs), Timeout.InfiniteTimeSpan);
            return;
        }

        // A member whose JoinGroup or SyncGroup is parked is governed by the rebalance, not the session.
        if (member.AwaitingJoin is not null || member.AwaitingSync is not null)
        {
            ArmSession(group, member);
            return;
        }

        RemoveMember(group, member);
        AfterMembershipChange(group);
    }
}
