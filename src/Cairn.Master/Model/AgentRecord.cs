using Cairn.Api.AgentLink;
using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>An agent as the master knows it.</summary>
public sealed class AgentRecord
{
    public AgentRecord(string id, AgentInfo info, DateTimeOffset registeredTime)
    {
        Id = id;
        Info = info;
        RegisteredTime = registeredTime;
    }

    public string Id { get; }

    /// <summary>Hostname, port, total resources, attributes (id set).</summary>
    public AgentInfo Info { get; set; }

    public DateTimeOffset RegisteredTime { get; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    public string? Version { get; set; }

    /// <summary>The open link, or null when the agent is unreachable or only known from the registry.</summary>
    public EventStream<AgentEvent>? Link { get; set; }

    /// <summary>Known from the registry of a previous run and not yet re-registered.</summary>
    public bool Recovered { get; set; }

    /// <summary>Set when pings went unanswered (or the link broke and the agent never came back).</summary>
    public DateTimeOffset? UnreachableTime { get; set; }

    public bool Active => Link is not null && UnreachableTime is null;

    /// <summary>Pings sent since the last PONG.</summary>
    public int MissedPings { get; set; }

    public ulong PingSequence { get; set; }

    public DateTimeOffset NextPing { get; set; }

    /// <summary>Tasks on this agent, by (framework id, task id).</summary>
    public Dictionary<(string FrameworkId, string TaskId), TaskRecord> Tasks { get; } = new();

    public HashSet<string> OfferIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The allocator knows this agent (it is connected and reachable).</summary>
    public bool InAllocator { get; set; }
}
