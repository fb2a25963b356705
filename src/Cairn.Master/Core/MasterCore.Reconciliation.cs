using Cairn.Master.Model;
using Mesos.V1;
using Mesos.V1.Scheduler;

namespace Cairn.Master.Core;

/// <summary>RECONCILE (mesos.md §2.9, Mesos' <c>Master::_reconcileTasks</c>).</summary>
public sealed partial class MasterCore
{
    private void Reconcile(FrameworkRecord framework, IList<Call.Types.Reconcile.Types.Task> tasks)
    {
        if (tasks.Count == 0)
        {
            // Implicit: the latest state of every task the master knows for the framework.
            foreach (var task in framework.Tasks.Values)
            {
                SendUpdate(framework, ReconciliationStatus(framework, task));
            }

            foreach (var task in framework.UnreachableTasks.Values)
            {
                SendUpdate(framework, ReconciliationStatus(framework, task));
            }

            return;
        }

        foreach (var task in tasks)
        {
            var status = new TaskStatus { TaskId = task.TaskId.Clone(), State = TaskState.TaskLost };
            if (task.AgentId is { } agentId)
            {
                status.AgentId = agentId.Clone();
            }

            ReconcileExplicit(framework, status);
        }
    }

    /// <summary>Answers for one task; <paramref name="query"/> carries task_id and maybe agent_id.</summary>
    private void ReconcileExplicit(FrameworkRecord framework, TaskStatus query)
    {
        var taskId = query.TaskId.Value;
        if (framework.Tasks.TryGetValue(taskId, out var known) || framework.UnreachableTasks.TryGetValue(taskId, out known))
        {
            SendUpdate(framework, ReconciliationStatus(framework, known));
            return;
        }

        TaskState state;
        string message;
        DateTimeOffset? unreachableTime = null;
        if (query.AgentId is { } agentId)
        {
            if (!_agents.TryGetValue(agentId.Value, out var agent))
            {
                state = TaskState.TaskUnknown;
                message = "Reconciliation: Task is unknown to the master and its agent is unknown";
            }
            else if (agent.Recovered)
            {
                // The agent has not re-registered since the master started: it will tell.
                return;
            }
            else if (agent.UnreachableTime is { } since)
            {
                state = TaskState.TaskUnreachable;
                message = "Reconciliation: Task is unreachable";
                unreachableTime = since;
            }
            else
            {
                state = TaskState.TaskGone;
                message = "Reconciliation: Task is unknown to the agent";
            }
        }
        else
        {
            foreach (var agent in _agents.Values)
            {
                if (agent.Recovered)
                {
                    return;
                }
            }

            state = TaskState.TaskUnknown;
            message = "Reconciliation: Task is unknown";
        }

        var status = MasterStatus(query.TaskId, query.AgentId, TaskStates.ForFramework(state, framework.PartitionAware), TaskStatus.Types.Reason.Reconciliation, message);
        if (unreachableTime is { } time)
        {
            status.UnreachableTime = new TimeInfo { Nanoseconds = time.ToUnixTimeMilliseconds() * 1_000_000 };
        }

        SendUpdate(framework, status);
    }

    private TaskStatus ReconciliationStatus(FrameworkRecord framework, TaskRecord task)
    {
        var status = MasterStatus(task.Task.TaskId, task.Task.AgentId, TaskStates.ForFramework(task.State, framework.PartitionAware), TaskStatus.Types.Reason.Reconciliation, "Reconciliation: Latest task state");
        if (task.LatestStatus is { } latest)
        {
            if (latest.ContainerStatus is { } container)
            {
                status.ContainerStatus = container.Clone();
            }

            if (latest.HasHealthy)
            {
                status.Healthy = latest.Healthy;
            }

            if (latest.UnreachableTime is { } unreachable)
            {
                status.UnreachableTime = unreachable.Clone();
            }
        }

        if (task.Task.ExecutorId is { } executorId)
        {
            status.ExecutorId = executorId.Clone();
        }

        return status;
    }
}
