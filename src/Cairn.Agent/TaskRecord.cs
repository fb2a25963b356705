using Cairn.Agent.Checkpoint;
using Cairn.Agent.Containerizer;
using Cairn.Agent.Status;
using Mesos.V1;

namespace Cairn.Agent;

/// <summary>The agent's record of one task run. Owned by the agent's loop.</summary>
internal sealed class TaskRecord
{
    public TaskRecord(string frameworkId, TaskInfo info, string runId, long generation, string sandbox, string meta, UpdateLog log)
    {
        FrameworkId = frameworkId;
        Info = info;
        RunId = runId;
        Generation = generation;
        Sandbox = sandbox;
        Meta = meta;
        Log = log;
    }

    public string FrameworkId { get; }

    public TaskInfo Info { get; }

    public string TaskId => Info.TaskId.Value;

    public string RunId { get; }

    /// <summary>Distinguishes this run's exit and timer messages from a previous run with the same task id.</summary>
    public long Generation { get; }

    public string Sandbox { get; }

    public string Meta { get; }

    public UpdateLog Log { get; }

    /// <summary>The latest state the agent generated.</summary>
    public TaskState State { get; set; } = TaskState.TaskStaging;

    public LaunchedProcess? Process { get; set; }

    public bool ProcessGone { get; set; }

    public bool KillRequested { get; set; }

    /// <summary>Killed because its framework was shut down: no update goes out.</summary>
    public bool Silenced { get; set; }

    public ITimer? KillTimer { get; set; }

    public StatusUpdateStream Updates { get; } = new();

    public List<Mesos.V1.TaskStatus> Statuses { get; } = [];

    public static string KeyOf(string frameworkId, string taskId) => frameworkId + "\n" + taskId;

    public string Key => KeyOf(FrameworkId, TaskId);
}
