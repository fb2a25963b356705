using Cairn.Master.Model;
using Mesos.V1;
using Mesos.V1.Scheduler;
using Microsoft.Extensions.Logging;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Core;

/// <summary>Framework lifecycle: subscribe, failover, disconnect, teardown, removal.</summary>
public sealed partial class MasterCore
{
    /// <summary>Handles SUBSCRIBE. On success the stream already holds SUBSCRIBED and the first HEARTBEAT.</summary>
    public SubscribeResult Subscribe(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Stopping)
        {
            return new SubscribeResult(new CallResult(503, "The master is shutting down"), null, null);
        }

        var subscribe = call.Subscribe;
        var info = subscribe.FrameworkInfo.Clone();
        var error = ValidateFrameworkInfo(info);
        if (error is not null)
        {
            return new SubscribeResult(CallResult.BadRequest(error), null, null);
        }

        var now = Now;
        FrameworkRecord framework;
        if (info.Id is null || string.IsNullOrEmpty(info.Id.Value))
        {
            info.Id = new FrameworkID { Value = _ids.NextFrameworkId() };
            framework = new FrameworkRecord(info.Id.Value, info, now);
            _frameworks.Add(framework.Id, framework);
            ApplySuppressedRoles(framework, subscribe.SuppressedRoles);
            _allocator.AddFramework(framework.Id, info, framework.SuppressedRoles);
            LogFrameworkAdded(_logger, framework.Id, info.Name);
        }
        else if (_removedFrameworkIds.Contains(info.Id.Value))
        {
            return new SubscribeResult(CallResult.Forbidden("Framework has been removed"), null, null);
        }
        else if (_frameworks.TryGetValue(info.Id.Value, out var existing))
        {
            framework = existing;
            if (framework.Stream is { } old)
            {
                // Mesos: the old subscription learns it was replaced, then its stream closes.
                old.Send(new SchedulerEvent { Type = SchedulerEvent.Types.Type.Error, Error = new SchedulerEvent.Types.Error { Message = "Framework failed over" } });
                old.Close();
                framework.Stream = null;
            }

            RescindFrameworkOffers(framework, sendRescind: false);
            // user and checkpoint cannot change (Mesos ignores the new values).
            info.User = framework.Info.User;
            info.Checkpoint = framework.Info.Checkpoint;
            framework.Info = info;
            framework.ReregisteredTime = now;
            ApplySuppressedRoles(framework, subscribe.SuppressedRoles);
            framework.Recovered = false;
            _allocator.UpdateFramework(framework.Id, info, framework.SuppressedRoles);
            _allocator.ActivateFramework(framework.Id);

            LogFrameworkResubscribed(_logger, framework.Id);
        }
        else
        {
            // An id this master never saw (e.g. after a restart without a registry): accepted, as in Mesos.
            framework = new FrameworkRecord(info.Id.Value, info, now);
            _frameworks.Add(framework.Id, framework);
            ApplySuppressedRoles(framework, subscribe.SuppressedRoles);
            _allocator.AddFramework(framework.Id, info, framework.SuppressedRoles);
            LogFrameworkAdded(_logger, framework.Id, info.Name);
        }

        framework.FailoverDeadline = null;
        framework.UnregisteredTime = null;
        var stream = new EventStream<SchedulerEvent>(Guid.NewGuid().ToString());
        framework.Stream = stream;
        framework.NextHeartbeat = now + _options.HeartbeatInterval;
        _registry.PutFramework(info);
        Counters.FrameworksSubscribed++;
        stream.Send(new SchedulerEvent
        {
            Type = SchedulerEvent.Types.Type.Subscribed,
            Subscribed = new SchedulerEvent.Types.Subscribed
            {
                FrameworkId = info.Id.Clone(),
                HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds,
                MasterInfo = Info.Clone(),
            },
        });
        stream.Send(new SchedulerEvent { Type = SchedulerEvent.Types.Type.Heartbeat });
        RequestAllocation();
        return new SubscribeResult(CallResult.Ok, framework.Id, stream);
    }

    /// <summary>The HTTP connection of a subscription ended.</summary>
    public void SubscriptionClosed(string frameworkId, string streamId)
    {
        if (!_frameworks.TryGetValue(frameworkId, out var framework) || framework.Stream?.Id != streamId)
        {
            return;
        }

        framework.Stream.Close();
        framework.Stream = null;
        var now = Now;
        framework.UnregisteredTime = now;
        RescindFrameworkOffers(framework, sendRescind: false);
        _allocator.DeactivateFramework(framework.Id);
        var timeout = Math.Clamp(framework.Info.FailoverTimeout, 0, TimeSpan.MaxValue.TotalSeconds / 4);
        framework.FailoverDeadline = now + TimeSpan.FromSeconds(timeout);
        LogFrameworkDisconnected(_logger, framework.Id, timeout);
    }

    /// <summary>Removes a framework: its tasks are killed on the agents, its offers withdrawn.</summary>
    private void RemoveFramework(FrameworkRecord framework, string reason)
    {
        LogFrameworkRemoved(_logger, framework.Id, reason);
        RescindFrameworkOffers(framework, sendRescind: false);
        var agentsToNotify = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in framework.Tasks.Values)
        {
            agentsToNotify.Add(task.AgentId);
            if (!task.IsTerminal)
            {
                SetTaskState(task, NewStatus(task, TaskState.TaskKilled, TaskStatus.Types.Reason.FrameworkRemoved, "Framework removed"));
            }

            RecoverTaskResources(task);
            if (_agents.TryGetValue(task.AgentId, out var agent))
            {
                agent.Tasks.Remove((framework.Id, task.Id));
            }

            AddCompleted(framework, task);
        }

        foreach (var task in framework.UnreachableTasks.Values)
        {
            agentsToNotify.Add(task.AgentId);
            if (_agents.TryGetValue(task.AgentId, out var agent))
            {
                agent.Tasks.Remove((framework.Id, task.Id));
            }
        }

        framework.Tasks.Clear();
        framework.UnreachableTasks.Clear();
        foreach (var agentId in agentsToNotify)
        {
            if (_agents.TryGetValue(agentId, out var agent) && agent.Link is { } link)
            {
                link.Send(new Cairn.Api.AgentLink.AgentEvent
                {
                    Type = Cairn.Api.AgentLink.AgentEvent.Types.Type.ShutdownFramework,
                    ShutdownFramework = new Cairn.Api.AgentLink.AgentEvent.Types.ShutdownFramework { FrameworkId = new FrameworkID { Value = framework.Id } },
                });
            }
        }

        framework.Stream?.Close();
        framework.Stream = null;
        framework.UnregisteredTime = Now;
        _allocator.RemoveFramework(framework.Id);

        _frameworks.Remove(framework.Id);
        _removedFrameworkIds.Add(framework.Id);
        _completedFrameworks.AddLast(framework);
        if (_completedFrameworks.Count > MaxCompletedFrameworks)
        {
            _completedFrameworks.RemoveFirst();
        }

        _registry.RemoveFramework(framework.Id);
        RequestAllocation();
    }

    private void ApplySuppressedRoles(FrameworkRecord framework, IEnumerable<string> suppressed)
    {
        framework.SuppressedRoles.Clear();
        foreach (var role in suppressed)
        {
            framework.SuppressedRoles.Add(role);
        }
    }

    private string? ValidateFrameworkInfo(FrameworkInfo info)
    {
        if (!info.HasUser)
        {
            return "'FrameworkInfo.user' must be set";
        }

        if (!info.HasName)
        {
            return "'FrameworkInfo.name' must be set";
        }

        var multiRole = false;
        foreach (var capability in info.Capabilities)
        {
            multiRole |= capability.Type == FrameworkInfo.Types.Capability.Types.Type.MultiRole;
        }

#pragma warning disable CS0612 // FrameworkInfo.role: deprecated, still what non-MULTI_ROLE frameworks send.
        if (multiRole && info.HasRole)
        {
            return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
        }

        if (!multiRole && info.Roles.Count > 0)
        {
            return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
        }

        IEnumerable<string> roles = multiRole ? info.Roles : [info.HasRole ? info.Role : "*"];
#pragma warning restore CS0612
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (!seen.Add(role))
            {
                return $"'FrameworkInfo.roles' contains duplicate role '{role}'";
            }

            var roleError = Cairn.Common.Roles.Validate(role);
            if (roleError is not null)
            {
                return roleError;
            }

            if (_options.Roles.Count > 0 && role != "*" && !_options.Roles.Contains(role))
            {
                return $"Role '{role}' is not present in the master's --roles";
            }
        }

        if (info.FailoverTimeout < 0 || double.IsNaN(info.FailoverTimeout))
        {
            return "'FrameworkInfo.failover_timeout' must be a non-negative number of seconds";
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Added framework {FrameworkId} ({Name})")]
    private static partial void LogFrameworkAdded(ILogger logger, string frameworkId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework {FrameworkId} re-subscribed")]
    private static partial void LogFrameworkResubscribed(ILogger logger, string frameworkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Framework {FrameworkId} disconnected; failover timeout {Seconds} s")]
    private static partial void LogFrameworkDisconnected(ILogger logger, string frameworkId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed framework {FrameworkId}: {Reason}")]
    private static partial void LogFrameworkRemoved(ILogger logger, string frameworkId, string reason);
}

/// <summary>The outcome of SUBSCRIBE.</summary>
public sealed record SubscribeResult(CallResult Result, string? FrameworkId, EventStream<SchedulerEvent>? Stream);
