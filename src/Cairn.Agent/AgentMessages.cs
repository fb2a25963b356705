using Cairn.Agent.Containerizer;
using Cairn.Api.AgentLink;
using Mesos.V1;

namespace Cairn.Agent;

/// <summary>Everything that changes the agent's state arrives as one of these, on its single loop.</summary>
internal abstract record AgentMessage;

internal sealed record LinkEventArrived(string LinkId, AgentEvent Event) : AgentMessage;

internal sealed record LinkLost : AgentMessage;

internal sealed record ProcessExited(string Key, long Generation, WaitStatus? Status) : AgentMessage;

internal sealed record KillGraceExpired(string Key, long Generation) : AgentMessage;

internal sealed record RetryTick : AgentMessage;

internal sealed record BuildRegister(TaskCompletionSource<AgentCall> Reply) : AgentMessage;

internal sealed record TakeSnapshot(TaskCompletionSource<AgentSnapshot> Reply) : AgentMessage;

internal sealed record BeginShutdown(TaskCompletionSource Reply) : AgentMessage;

/// <summary>A read-only copy of the agent's state for /state.</summary>
public sealed record AgentSnapshot(
    string? AgentId,
    string Hostname,
    int Port,
    bool Registered,
    IReadOnlyList<Resource> Resources,
    IReadOnlyList<Mesos.V1.Attribute> Attributes,
    IReadOnlyList<FrameworkInfo> Frameworks,
    IReadOnlyList<TaskSnapshot> Tasks);

/// <summary>One task (live or recently completed) as /state shows it.</summary>
public sealed record TaskSnapshot(
    string FrameworkId,
    TaskInfo Info,
    TaskState State,
    string Directory,
    int? Pid,
    IReadOnlyList<Mesos.V1.TaskStatus> Statuses,
    bool Completed);
