using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>
/// One group's state: members in join order, static instance ids, pending (MEMBER_ID_REQUIRED) members,
/// generation and committed offsets. Mutated only by <see cref="GroupCoordinator"/> on its single thread.
/// </summary>
internal sealed class ConsumerGroup(string groupId, long createdAtMs)
{
    private readonly List<GroupMember> _members = [];

    public string GroupId { get; } = groupId;

    public GroupState State { get; private set; } = GroupState.Empty;

    /// <summary>When the group entered its current state (KIP-211 offsets expiry counts from becoming Empty).</summary>
    public long StateTimestampMs { get; private set; } = createdAtMs;

    public int GenerationId { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    public IReadOnlyList<GroupMember> Members => _members;

    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Members told MEMBER_ID_REQUIRED who have not rejoined yet, with their expiry timers.</summary>
    public Dictionary<string, ITimer> PendingMembers { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = [];

    /// <summary>The timer that ends the current join phase (initial delay or rebalance timeout).</summary>
    public ITimer? JoinTimer { get; set; }

    public long JoinTimerVersion { get; set; }

    /// <summary>True while the first rebalance of an empty group waits (group.initial.rebalance.delay.ms).</summary>
    public bool InInitialDelay { get; set; }

    public bool NewMemberAdded { get; set; }

    public long InitialDelayRemainingMs { get; set; }

    public void TransitionTo(GroupState state, long nowMs)
    {
        State = state;
        StateTimestampMs = nowMs;
    }

    public GroupMember? Find(string memberId)
    {
        foreach (var m in _members)
        {
            if (m.MemberId == memberId)
            {
                return m;
            }
        }

        return null;
    }

    public bool Has(string memberId) => Find(memberId) is not null;

    public void Add(GroupMember member)
    {
        if (_members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }

        _members.Add(member);
        LeaderId ??= member.MemberId;
        if (member.GroupInstanceId is { } instance)
        {
            StaticMembers[instance] = member.MemberId;
        }
    }

    public void Remove(GroupMember member)
    {
        _members.Remove(member);
        if (member.GroupInstanceId is { } instance && StaticMembers.TryGetValue(instance, out var id) && id == member.MemberId)
        {
            StaticMembers.Remove(instance);
        }

        if (LeaderId == member.MemberId)
        {
            LeaderId = _members.Count > 0 ? _members[0].MemberId : null;
        }
    }

    /// <summary>The static member fencing rule: an instance id bound to another member id is fenced.</summary>
    public bool IsStaticMemberFenced(string? groupInstanceId, string memberId) =>
        groupInstanceId is not null && StaticMembers.TryGetValue(groupInstanceId, out var current) && current != memberId;

    public int AwaitingJoinCount
    {
        get
        {
            var n = 0;
            foreach (var m in _members)
            {
                if (m.AwaitingJoin is not null)
                {
                    n++;
                }
            }

            return n;
        }
    }

    public bool HasAllMembersJoined => _members.Count == AwaitingJoinCount && PendingMembers.Count == 0;

    /// <summary>Protocols every member supports.</summary>
    public HashSet<string> CandidateProtocols()
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        if (_members.Count == 0)
        {
            return candidates;
        }

        foreach (var p in _members[0].Protocols)
        {
            candidates.Add(p.Name);
        }

        for (var i = 1; i < _members.Count; i++)
        {
            candidates.RemoveWhere(name => !_members[i].Supports(name));
        }

        return candidates;
    }

    /// <summary>Whether a member speaking these protocols may join (Kafka's supportsProtocols).</summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<GroupProtocol> protocols, GroupMember? excluding = null)
    {
        if (State == GroupState.Empty || _members.Count == 0 || (_members.Count == 1 && excluding is not null && _members[0] == excluding))
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }

        if (protocolType != ProtocolType)
        {
            return false;
        }

        foreach (var p in protocols)
        {
            var all = true;
            foreach (var m in _members)
            {
                if (m != excluding && !m.Supports(p.Name))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each member votes for its most preferred common protocol; most votes wins, ties by the first member's order.</summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in _members)
        {
            if (m.Vote(candidates) is { } vote)
            {
                votes[vote] = votes.GetValueOrDefault(vote) + 1;
            }
        }

        string? best = null;
        var bestVotes = -1;
        foreach (var p in _members[0].Protocols)
        {
            if (votes.TryGetValue(p.Name, out var n) && n > bestVotes)
            {
                best = p.Name;
                bestVotes = n;
            }
        }

        return best ?? throw new InvalidOperationException("no common protocol among the members of " + GroupId);
    }

    public int MaxRebalanceTimeoutMs()
    {
        var max = 0;
        foreach (var m in _members)
        {
            max = Math.Max(max, m.RebalanceTimeoutMs);
        }

        return max;
    }

    /// <summary>
    /// Whether a topic is in some member's subscription (ConsumerProtocolSubscription of the selected protocol).
    /// Unparseable subscriptions count as subscribed, as in Kafka.
    /// </summary>
    public bool IsSubscribedTo(string topic)
    {
        if (ProtocolType != "consumer" || ProtocolName is null)
        {
            return false;
        }

        foreach (var m in _members)
        {
            if (!ConsumerProtocolSubscription.TryReadTopics(m.MetadataFor(ProtocolName), out var topics))
            {
                return true;
            }

            foreach (var t in topics)
            {
                if (t == topic)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
