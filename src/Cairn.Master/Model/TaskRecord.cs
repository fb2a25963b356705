using Mesos.V1;

namespace Cairn.Master.Model;

/// <summary>A task as the master knows it: the Mesos <see cref="Mesos.V1.Task"/> with its status history.</summary>
public sealed class TaskRecord
{
    public TaskRecord(Mesos.V1.Task task, string role)
    {
        Task = task;
        Role = role;
    }

    public Mesos.V1.Task Task { get; }

    public string Id => Task.TaskId.Value;

    public string FrameworkId => Task.FrameworkId.Value;

    public string AgentId => Task.AgentId.Value;

    /// <summary>The role the task's resources are allocated to.</summary>
    public string Role { get; }

    public TaskState State => Task.State;

    /// <summary>The latest status the master has (from the agent or made by the master).</summary>
    public TaskStatus? LatestStatus { get; set; }

    /// <summary>Resources went back to the allocator (the task reached a terminal state).</summary>
    public bool ResourcesRecovered { get; set; }

    public bool IsTerminal => TaskStates.IsTerminal(Task.State);
}
