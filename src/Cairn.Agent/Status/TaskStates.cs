using Mesos.V1;

namespace Cairn.Agent.Status;

/// <summary>Facts about task states.</summary>
public static class TaskStates
{
    /// <summary>Terminal states: nothing follows them (Mesos' protobuf::isTerminalState).</summary>
    public static bool IsTerminal(TaskState state) => state is TaskState.TaskFinished or TaskState.TaskFailed
        or TaskState.TaskKilled or TaskState.TaskError or TaskState.TaskLost or TaskState.TaskDropped
        or TaskState.TaskGone or TaskState.TaskGoneByOperator;
}
