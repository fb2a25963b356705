using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>A member of a consumer group, as the coordinator tracks it.</summary>
internal sealed class GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost)
{
    public string MemberId { get; set; } = memberId;

    public string? GroupInstanceId { get; } = groupInstanceId;

    public string ClientId { get; set; } = clientId;

    public string ClientHost { get; set; } = clientHost;

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    public IReadOnlyList<GroupProtocol> Protocols { get; set; } = [];

    public byte[] Assignment { get; set; } = [];

    /// <summary>Set while the member's JoinGroup response is held back for the rebalance.</summary>
    public Action<JoinGroupOutput>? AwaitingJoin { get; set; }

    /// <summary>Set while a follower's SyncGroup waits for the leader's assignment.</summary>
    public Action<SyncGroupOutput>? AwaitingSync { get; set; }

    /// <summary>Session deadline; the member is removed when it passes without a heartbeat.</summary>
    public ITimer? SessionTimer { get; set; }

    /// <summary>When the session ends unless a heartbeat (or join/sync) moves it (Unix ms).</summary>
    public long SessionDeadlineMs { get; set; }

    public byte[] MetadataFor(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol)
            {
                return p.Metadata;
            }
        }

        return [];
    }

    public bool Supports(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Same protocols, same metadata, same order: a rejoin that changes nothing.</summary>
    public bool Matches(IReadOnlyList<GroupProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The protocol this member prefers among the candidates (its own order).</summary>
    public string? Vote(HashSet<string> candidates)
    {
        foreach (var p in Protocols)
        {
            if (candidates.Contains(p.Name))
            {
                return p.Name;
            }
        }

        return null;
    }
}
