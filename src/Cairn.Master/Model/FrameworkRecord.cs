using Mesos.V1;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Model;

/// <summary>A framework as the master knows it.</summary>
public sealed class FrameworkRecord
{
    public FrameworkRecord(string id, FrameworkInfo info, DateTimeOffset registeredTime)
    {
        Id = id;
        Info = info;
        RegisteredTime = registeredTime;
    }

    public string Id { get; }

    public FrameworkInfo Info { get; set; }

    public DateTimeOffset RegisteredTime { get; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    public DateTimeOffset? UnregisteredTime { get; set; }

    /// <summary>The live subscription, or null while disconnected (or only recovered from agents).</summary>
    public EventStream<SchedulerEvent>? Stream { get; set; }

    public bool Connected => Stream is not null;

    /// <summary>Learnt from an agent or the registry, never subscribed since this master started.</summary>
    public bool Recovered { get; set; }

    /// <summary>When a disconnected framework is removed (failover_timeout).</summary>
    public DateTimeOffset? FailoverDeadline { get; set; }

    public DateTimeOffset NextHeartbeat { get; set; }

    public HashSet<string> SuppressedRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Live tasks (and terminal ones whose last update is not yet acknowledged), by task id.</summary>
    public Dictionary<string, TaskRecord> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Tasks on unreachable agents, by task id.</summary>
    public Dictionary<string, TaskRecord> UnreachableTasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Terminal tasks, oldest first, bounded.</summary>
    public LinkedList<TaskRecord> CompletedTasks { get; } = new();

    public HashSet<string> OfferIds { get; } = new(StringComparer.Ordinal);

    public bool PartitionAware => HasCapability(FrameworkInfo.Types.Capability.Types.Type.PartitionAware);

    public IReadOnlyList<string> Roles
    {
        get
        {
            if (HasCapability(FrameworkInfo.Types.Capability.Types.Type.MultiRole))
            {
                return Info.Roles;
            }

#pragma warning disable CS0612 // FrameworkInfo.role: deprecated, still what non-MULTI_ROLE frameworks send.
            return [Info.HasRole ? Info.Role : "*"];
#pragma warning restore CS0612
        }
    }

    public bool HasCapability(FrameworkInfo.Types.Capability.Types.Type type)
    {
        foreach (var capability in Info.Capabilities)
        {
            if (capability.Type == type)
            {
                return true;
            }
        }

        return false;
    }
}
