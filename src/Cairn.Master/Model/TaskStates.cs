using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>Classification of task states (Mesos' <c>protobuf::isTerminalState</c>).</summary>
public static class TaskStates
{
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed
        or TaskState.TaskKilled or TaskState.TaskLost or TaskState.TaskError or TaskState.TaskDropped
        or TaskState.TaskGone or TaskState.TaskGoneByOperator;

    /// <summary>The state a framework without PARTITION_AWARE sees instead of <paramref name="state"/>.</summary>
    public static TaskState ForFramework(TaskState state, bool partitionAware) => partitionAware
        ? state
        : state switch
        {
            TaskState.TaskUnreachable or TaskState.TaskDropped or TaskState.TaskGone
                or TaskState.TaskGoneByOperator or TaskState.TaskUnknown => TaskState.TaskLost,
            _ => state,
        };
}
