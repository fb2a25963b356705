using Cairn.Api.AgentLink;
using Cairn.Master.Model;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Master.Core;

/// <summary>The agent link (docs/api/agent-link.md): registration, status updates, liveness.</summary>
public sealed partial class MasterCore
{
    /// <summary>REGISTER: admits a new agent or takes back a known one, reconciling its tasks.</summary>
    public AgentRegisterResult RegisterAgent(AgentCall.Types.Register register)
    {
        ArgumentNullException.ThrowIfNull(register);
        if (Stopping)
        {
            return new AgentRegisterResult(new CallResult(503, "The master is shutting down"), null, null);
        }

        var info = register.AgentInfo.Clone();
        if (!info.HasHostname || string.IsNullOrEmpty(info.Hostname))
        {
            return new AgentRegisterResult(CallResult.BadRequest("'agent_info.hostname' must be set"), null, null);
        }

        if (!Cairn.Api.Conversions.ResourceConversions.TryFromProto(info.Resources, out _, out var resourceError))
        {
            return new AgentRegisterResult(CallResult.BadRequest("Invalid agent resources: " + resourceError), null, null);
        }

        var now = Now;
        AgentRecord agent;
        var reregistering = info.Id is { Value.Length: > 0 };
        if (!reregistering)
        {
            info.Id = new AgentID { Value = _ids.NextAgentId() };
            agent = new AgentRecord(info.Id.Value, info, now);
            _agents.Add(agent.Id, agent);
            Counters.SlaveRegistrations++;
            LogAgentRegistered(_logger, agent.Id, info.Hostname);
        }
        else
        {
            var idError = ValidateId(info.Id.Value);
            if (idError is not null)
            {
                return new AgentRegisterResult(CallResult.BadRequest("Invalid agent id: " + idError), null, null);
            }

            if (_agents.TryGetValue(info.Id.Value, out var existing))
            {
                agent = existing;
                if (agent.Link is { } oldLink)
                {
                    oldLink.Close();
                    agent.Link = null;
                }

                if (agent.InAllocator)
                {
                    RescindAgentOffers(agent, recover: false);
                    _allocator.RemoveAgent(agent.Id);
                    agent.InAllocator = false;
                }

                agent.Info = info;
                agent.ReregisteredTime = now;
            }
            else
            {
                agent = new AgentRecord(info.Id.Value, info, now) { ReregisteredTime = now };
                _agents.Add(agent.Id, agent);
            }

            Counters.SlaveReregistrations++;
            LogAgentReregistered(_logger, agent.Id, info.Hostname, register.Tasks.Count);
        }

        agent.Recovered = false;
        agent.UnreachableTime = null;
        agent.Version = register.HasVersion ? register.Version : null;
        agent.MissedPings = 0;
        agent.NextPing = now + _options.AgentPingTimeout;
        var registered = new AgentEvent.Types.Registered
        {
            AgentId = info.Id.Clone(),
            PingIntervalSeconds = _options.AgentPingTimeout.TotalSeconds,
            MaxPingTimeouts = (uint)_options.MaxAgentPingTimeouts,
        };
        if (reregistering)
        {
            ReconcileAgentTasks(agent, register, registered);
        }

        var link = new EventStream<AgentEvent>(NextLinkId());
        agent.Link = link;
        AddAgentToAllocator(agent);
        _registry.PutAgent(agent.Id, info.Hostname, info.HasPort ? info.Port : 5051);
        link.Send(new AgentEvent { Type = AgentEvent.Types.Type.Registered, Registered = registered });
        RequestAllocation();
        return new AgentRegisterResult(CallResult.Ok, agent.Id, link);
    }

    /// <summary>Adopts what a re-registering agent reports and settles what it no longer has.</summary>
    private void ReconcileAgentTasks(AgentRecord agent, AgentCall.Types.Register register, AgentEvent.Types.Registered registered)
    {
        var reported = new HashSet<(string, string)>();
        foreach (var reportedTask in register.Tasks)
        {
            var frameworkId = reportedTask.FrameworkId.Value;
            reported.Add((frameworkId, reportedTask.TaskId.Value));
            if (_removedFrameworkIds.Contains(frameworkId))
            {
                registered.KillTaskIds.Add(reportedTask.TaskId.Clone());
                continue;
            }

            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                var info = FindFrameworkInfo(register, frameworkId);
                framework = new FrameworkRecord(frameworkId, info, Now) { Recovered = true };
                _frameworks.Add(frameworkId, framework);
                _allocator.AddFramework(frameworkId, info, framework.SuppressedRoles);
                _allocator.DeactivateFramework(frameworkId);
                _registry.PutFramework(info);
            }

            if (framework.Tasks.TryGetValue(reportedTask.TaskId.Value, out var task) || MoveBackFromUnreachable(framework, reportedTask.TaskId.Value, out task))
            {
                // The agent is the authority on its tasks' states.
                task.Task.State = reportedTask.State;
                task.ResourcesRecovered = task.IsTerminal;
                if (task.LatestStatus is { } latest && latest.State != reportedTask.State)
                {
                    task.LatestStatus = null;
                }
            }
            else
            {
                var role = reportedTask.Resources.Count > 0 && reportedTask.Resources[0].AllocationInfo is { } allocation ? allocation.Role : "*";
                task = new TaskRecord(reportedTask.Clone(), role) { ResourcesRecovered = TaskStates.IsTerminal(reportedTask.State) };
                task.Task.AgentId = new AgentID { Value = agent.Id };
                framework.Tasks[task.Id] = task;
            }

            agent.Tasks[(frameworkId, task.Id)] = task;
        }

        // Tasks the master placed on this agent that the agent does not have any more.
        foreach (var (key, task) in agent.Tasks.ToArray())
        {
            if (reported.Contains(key))
            {
                continue;
            }

            agent.Tasks.Remove(key);
            if (!_frameworks.TryGetValue(task.FrameworkId, out var framework))
            {
                continue;
            }

            framework.UnreachableTasks.Remove(task.Id);
            framework.Tasks.Remove(task.Id);
            task.ResourcesRecovered = true;
            if (task.IsTerminal)
            {
                AddCompleted(framework, task);
                continue;
            }

            var status = NewStatus(task, framework.PartitionAware ? TaskState.TaskGone : TaskState.TaskLost, TaskStatus.Types.Reason.AgentRestarted, "Task is unknown to the agent after it re-registered");
            SetTaskState(task, status);
            AddCompleted(framework, task);
            SendUpdate(framework, status);
        }
    }

    private static FrameworkInfo FindFrameworkInfo(AgentCall.Types.Register register, string frameworkId)
    {
        foreach (var framework in register.Frameworks)
        {
            if (framework.Id?.Value == frameworkId)
            {
                return framework.Clone();
            }
        }

        return new FrameworkInfo { Id = new FrameworkID { Value = frameworkId }, User = "unknown", Name = "unknown" };
    }

    private void AddAgentToAllocator(AgentRecord agent)
    {
        var used = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
        foreach (var task in agent.Tasks.Values)
        {
            if (task.IsTerminal)
            {
                continue;
            }

            if (!used.TryGetValue(task.FrameworkId, out var list))
            {
                list = [];
                used.Add(task.FrameworkId, list);
            }

            list.AddRange(task.Task.Resources);
        }

        _allocator.AddAgent(agent.Id, agent.Info, agent.Info.Resources, used);
        agent.InAllocator = true;
    }

    /// <summary>Checks that a call comes over the agent's current link.</summary>
    private CallResult CheckLink(string? linkId, AgentID? agentId, out AgentRecord agent)
    {
        agent = null!;
        if (linkId is null)
        {
            return CallResult.BadRequest("Missing 'Cairn-Link-Id' header");
        }

        if (agentId is null || !_agents.TryGetValue(agentId.Value, out var found) || found.Link?.Id != linkId)
        {
            return CallResult.BadRequest("Unknown or stale link; re-register");
        }

        agent = found;
        return CallResult.Accepted;
    }

    /// <summary>STATUS_UPDATE from an agent.</summary>
    public CallResult AgentStatusUpdate(string? linkId, AgentCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var check = CheckLink(linkId, call.AgentId, out var agent);
        if (!check.IsSuccess)
        {
            return check;
        }

        if (call.StatusUpdate is not { } update || update.Status?.TaskId is null || update.FrameworkId is null)
        {
            return CallResult.BadRequest("Expecting 'status_update' with framework_id and status");
        }

        ApplyAgentStatus(agent, update.FrameworkId, update.Status.Clone());
        return CallResult.Accepted;
    }

    /// <summary>PONG from an agent.</summary>
    public CallResult AgentPong(string? linkId, AgentCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var check = CheckLink(linkId, call.AgentId, out var agent);
        if (check.IsSuccess)
        {
            agent.MissedPings = 0;
        }

        return check;
    }

    /// <summary>UNREGISTER: the agent shuts down; its tasks are gone.</summary>
    public CallResult AgentUnregister(string? linkId, AgentCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var check = CheckLink(linkId, call.AgentId, out var agent);
        if (!check.IsSuccess)
        {
            return check;
        }

        RemoveAgent(agent, "Agent shut down");
        return CallResult.Accepted;
    }

    /// <summary>The agent's stream ended (connection closed): no offers from it; the ping
    /// timeout decides whether it is unreachable.</summary>
    public void AgentLinkClosed(string agentId, string linkId)
    {
        if (!_agents.TryGetValue(agentId, out var agent) || agent.Link?.Id != linkId)
        {
            return;
        }

        agent.Link.Close();
        agent.Link = null;
        if (agent.InAllocator)
        {
            RescindAgentOffers(agent, recover: false);
            _allocator.RemoveAgent(agent.Id);
            agent.InAllocator = false;
        }

        LogAgentDisconnected(_logger, agent.Id);
    }

    /// <summary>Missed pings: the agent's tasks become TASK_UNREACHABLE (or TASK_LOST).</summary>
    private void MarkUnreachable(AgentRecord agent)
    {
        var now = Now;
        agent.UnreachableTime = now;
        agent.Recovered = false;
        agent.Link?.Close();
        agent.Link = null;
        if (agent.InAllocator)
        {
            RescindAgentOffers(agent, recover: false);
            _allocator.RemoveAgent(agent.Id);
            agent.InAllocator = false;
        }

        Counters.SlavesUnreachableMarked++;
        LogAgentUnreachable(_logger, agent.Id, agent.Tasks.Count);
        var unreachableTime = new TimeInfo { Nanoseconds = now.ToUnixTimeMilliseconds() * 1_000_000 };
        foreach (var task in agent.Tasks.Values.ToArray())
        {
            if (!_frameworks.TryGetValue(task.FrameworkId, out var framework))
            {
                continue;
            }

            if (task.IsTerminal)
            {
                // Its terminal update is still with the agent; the framework learns when it returns.
                continue;
            }

            var status = NewStatus(task, TaskState.TaskUnreachable, TaskStatus.Types.Reason.AgentRemoved, $"Agent {agent.Id} is unreachable");
            status.UnreachableTime = unreachableTime;
            SetTaskState(task, status);
            task.ResourcesRecovered = true;
            framework.Tasks.Remove(task.Id);
            framework.UnreachableTasks[task.Id] = task;
            var forwarded = status.Clone();
            forwarded.State = TaskStates.ForFramework(status.State, framework.PartitionAware);
            if (forwarded.State == TaskState.TaskLost)
            {
                Counters.TasksLost++;
            }

            SendUpdate(framework, forwarded);
        }
    }

    /// <summary>Removes an agent for good (graceful shutdown).</summary>
    private void RemoveAgent(AgentRecord agent, string reason)
    {
        agent.Link?.Close();
        agent.Link = null;
        if (agent.InAllocator)
        {
            RescindAgentOffers(agent, recover: false);
            _allocator.RemoveAgent(agent.Id);
            agent.InAllocator = false;
        }

        foreach (var task in agent.Tasks.Values)
        {
            if (!_frameworks.TryGetValue(task.FrameworkId, out var framework))
            {
                continue;
            }

            framework.Tasks.Remove(task.Id);
            framework.UnreachableTasks.Remove(task.Id);
            task.ResourcesRecovered = true;
            if (!task.IsTerminal)
            {
                var status = NewStatus(task, framework.PartitionAware ? TaskState.TaskGone : TaskState.TaskLost, TaskStatus.Types.Reason.AgentRemoved, reason);
                SetTaskState(task, status);
                SendUpdate(framework, status);
            }

            AddCompleted(framework, task);
        }

        agent.Tasks.Clear();
        _agents.Remove(agent.Id);
        _registry.RemoveAgent(agent.Id);
        Counters.SlaveRemovals++;
        LogAgentRemoved(_logger, agent.Id, reason);
        RequestAllocation();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered agent {AgentId} at {Hostname}")]
    private static partial void LogAgentRegistered(ILogger logger, string agentId, string hostname);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-registered agent {AgentId} at {Hostname} with {Tasks} tasks")]
    private static partial void LogAgentReregistered(ILogger logger, string agentId, string hostname, int tasks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} disconnected")]
    private static partial void LogAgentDisconnected(ILogger logger, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} is unreachable; {Tasks} tasks affected")]
    private static partial void LogAgentUnreachable(ILogger logger, string agentId, int tasks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed agent {AgentId}: {Reason}")]
    private static partial void LogAgentRemoved(ILogger logger, string agentId, string reason);
}

/// <summary>The outcome of an agent's REGISTER.</summary>
public sealed record AgentRegisterResult(CallResult Result, string? AgentId, EventStream<AgentEvent>? Link);
