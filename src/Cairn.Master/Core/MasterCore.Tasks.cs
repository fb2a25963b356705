using Cairn.Api.Conversions;
using Cairn.Master.Model;
using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Master.Core;

/// <summary>Task state: transitions, resource recovery, completion.</summary>
public sealed partial class MasterCore
{
    /// <summary>A status the master makes itself (no uuid: such updates are never acknowledged).</summary>
    private TaskStatus MasterStatus(TaskID? taskId, AgentID? agentId, TaskState state, TaskStatus.Types.Reason reason, string message)
    {
        var status = new TaskStatus
        {
            TaskId = taskId?.Clone() ?? new TaskID { Value = string.Empty },
            State = state,
            Source = TaskStatus.Types.Source.Master,
            Reason = reason,
            Message = message,
            Timestamp = Now.ToUnixTimeMilliseconds() / 1000.0,
        };
        if (agentId is not null)
        {
            status.AgentId = agentId.Clone();
        }

        return status;
    }

    private TaskStatus NewStatus(TaskRecord task, TaskState state, TaskStatus.Types.Reason reason, string message) =>
        MasterStatus(task.Task.TaskId, task.Task.AgentId, state, reason, message);

    /// <summary>Records <paramref name="status"/> as the task's latest state.</summary>
    private void SetTaskState(TaskRecord task, TaskStatus status)
    {
        var wasTerminal = task.IsTerminal;
        task.Task.State = status.State;
        task.LatestStatus = status;
        task.Task.StatusUpdateState = status.State;
        if (status.HasUuid)
        {
            task.Task.StatusUpdateUuid = status.Uuid;
        }

        var history = new TaskStatus { State = status.State, Timestamp = status.Timestamp };
        if (status.ContainerStatus is { } containerStatus)
        {
            history.ContainerStatus = containerStatus.Clone();
        }

        if (status.HasHealthy)
        {
            history.Healthy = status.Healthy;
        }

        task.Task.Statuses.Add(history);
        // Bounded history: the first and the latest few are what operators look at.
        if (task.Task.Statuses.Count > 16)
        {
            task.Task.Statuses.RemoveAt(1);
        }

        if (!wasTerminal && task.IsTerminal)
        {
            CountTerminal(status.State);
        }
    }

    private void CountTerminal(TaskState state)
    {
        switch (state)
        {
            case TaskState.TaskFinished: Counters.TasksFinished++; break;
            case TaskState.TaskFailed: Counters.TasksFailed++; break;
            case TaskState.TaskKilled: Counters.TasksKilled++; break;
            case TaskState.TaskLost: Counters.TasksLost++; break;
            case TaskState.TaskError: Counters.TasksError++; break;
            case TaskState.TaskDropped: Counters.TasksDropped++; break;
            case TaskState.TaskGone or TaskState.TaskGoneByOperator: Counters.TasksGone++; break;
            default: break;
        }
    }

    /// <summary>A terminal task's resources go back to the allocator (once).</summary>
    private void RecoverTaskResources(TaskRecord task)
    {
        if (task.ResourcesRecovered)
        {
            return;
        }

        task.ResourcesRecovered = true;
        if (_agents.TryGetValue(task.AgentId, out var agent) && agent.Active)
        {
            _allocator.RecoverResources(task.FrameworkId, task.AgentId, task.Task.Resources, null);
            RequestAllocation();
        }
    }

    /// <summary>The task leaves the live set (terminal update acknowledged, or removed).</summary>
    private void CompleteTask(FrameworkRecord framework, TaskRecord task)
    {
        RecoverTaskResources(task);
        framework.Tasks.Remove(task.Id);
        if (_agents.TryGetValue(task.AgentId, out var agent))
        {
            agent.Tasks.Remove((framework.Id, task.Id));
        }

        AddCompleted(framework, task);
    }

    private void AddCompleted(FrameworkRecord framework, TaskRecord task)
    {
        framework.CompletedTasks.AddLast(task);
        if (framework.CompletedTasks.Count > _options.MaxCompletedTasksPerFramework)
        {
            framework.CompletedTasks.RemoveFirst();
        }
    }

    /// <summary>A status update from an agent: record it and forward it as UPDATE.</summary>
    private void ApplyAgentStatus(AgentRecord agent, FrameworkID frameworkId, TaskStatus status)
    {
        Counters.StatusUpdates++;
        if (!_frameworks.TryGetValue(frameworkId.Value, out var framework))
        {
            // Framework gone: the agent drops the update after SHUTDOWN_FRAMEWORK.
            Counters.InvalidStatusUpdates++;
            return;
        }

        status.AgentId ??= new AgentID { Value = agent.Id };
        if (framework.Tasks.TryGetValue(status.TaskId.Value, out var task) || MoveBackFromUnreachable(framework, status.TaskId.Value, out task))
        {
            if (!task.IsTerminal || TaskStates.IsTerminal(status.State))
            {
                SetTaskState(task, status);
            }

            if (task.IsTerminal)
            {
                RecoverTaskResources(task);
                if (!status.HasUuid)
                {
                    CompleteTask(framework, task);
                }
            }
        }

        if (framework.Stream is not null)
        {
            var forwarded = status.Clone();
            forwarded.State = TaskStates.ForFramework(forwarded.State, framework.PartitionAware);
            SendUpdate(framework, forwarded);
        }
    }

    private bool MoveBackFromUnreachable(FrameworkRecord framework, string taskId, out TaskRecord task)
    {
        if (framework.UnreachableTasks.Remove(taskId, out var found))
        {
            framework.Tasks[taskId] = found;
            task = found;
            return true;
        }

        task = null!;
        return false;
    }

    private static ByteString NewUuid() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray());

    private static Cairn.Common.Resources ResourcesOf(TaskRecord task) =>
        ResourceConversions.TryFromProto(task.Task.Resources, out var resources, out _) ? resources : Cairn.Common.Resources.Empty;
}
