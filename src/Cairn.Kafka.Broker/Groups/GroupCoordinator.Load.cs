namespace Cairn.Kafka.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>Replays one committed-offset record from the offsets topic (null = tombstone).</summary>
    public void LoadOffset(string groupId, string topic, int partition, CommittedOffset? offset)
    {
        if (offset is null)
        {
            if (_groups.TryGetValue(groupId, out var existing))
            {
                existing.Offsets.Remove((topic, partition));
            }

            return;
        }

        GetOrCreate(groupId).Offsets[(topic, partition)] = offset;
    }

    /// <summary>Replays one group-metadata record (null = the group was deleted).</summary>
    public void LoadGroup(string groupId, StoredGroup? stored)
    {
        if (stored is null)
        {
            _groups.Remove(groupId);
            return;
        }

        var group = GetOrCreate(groupId);
        foreach (var m in new List<GroupMember>(group.Members))
        {
            m.SessionTimer?.Dispose();
            group.Remove(m);
        }

        group.GenerationId = stored.GenerationId;
        group.ProtocolType = stored.ProtocolType;
        group.ProtocolName = stored.ProtocolName;
        foreach (var s in stored.Members)
        {
            var member = new GroupMember(s.MemberId, s.GroupInstanceId, s.ClientId, s.ClientHost)
            {
                SessionTimeoutMs = s.SessionTimeoutMs,
                RebalanceTimeoutMs = s.RebalanceTimeoutMs,
                ProtocolType = stored.ProtocolType ?? "",
                Protocols = stored.ProtocolName is null ? [] : [new Api.GroupProtocol(stored.ProtocolName, s.Subscription)],
                Assignment = s.Assignment,
            };
            group.Add(member);
        }

        group.LeaderId = stored.LeaderId;
        group.ProtocolType = stored.ProtocolType;
        group.TransitionTo(stored.Members.Count > 0 ? GroupState.Stable : GroupState.Empty, stored.CurrentStateTimestampMs);
    }

    /// <summary>
    /// After replay: members restored from the log get a fresh session, so that clients that did not survive
    /// the restart are expired (and the group rebalances) instead of holding partitions forever.
    /// </summary>
    public void CompleteLoad()
    {
        foreach (var (_, group) in _groups)
        {
            foreach (var m in group.Members)
            {
                ArmSession(group, m);
            }
        }
    }
}
