namespace Cairn.Agent.Sandbox;

/// <summary>
/// The agent's work_dir, laid out like Mesos' (src/slave/paths.hpp):
/// <code>
/// slaves/&lt;agent&gt;/frameworks/&lt;fw&gt;/executors/&lt;task&gt;/runs/&lt;run&gt;/        sandbox: stdout, stderr
/// meta/slaves/latest                                                        the agent id (text)
/// meta/slaves/&lt;agent&gt;/frameworks/&lt;fw&gt;/framework.info
/// meta/slaves/&lt;agent&gt;/frameworks/&lt;fw&gt;/executors/&lt;task&gt;/runs/&lt;run&gt;/pids/forked.pid
///                                                  …/tasks/&lt;task&gt;/task.info, task.updates
/// </code>
/// The command executor's executor id is the task id, as in Mesos.
/// </summary>
public sealed class WorkDirLayout
{
    /// <summary>Creates the layout rooted at an absolute work_dir.</summary>
    public WorkDirLayout(string workDir) => Root = Path.GetFullPath(workDir);

    /// <summary>The absolute work_dir.</summary>
    public string Root { get; }

    /// <summary>meta/slaves/latest: the agent id of the previous run.</summary>
    public string LatestAgentIdFile => Path.Combine(Root, "meta", "slaves", "latest");

    /// <summary>meta/slaves/&lt;agent&gt;.</summary>
    public string AgentMeta(string agentId) => Path.Combine(Root, "meta", "slaves", agentId);

    /// <summary>The checkpoint directory of a framework.</summary>
    public string FrameworkMeta(string agentId, string frameworkId) => Path.Combine(AgentMeta(agentId), "frameworks", frameworkId);

    /// <summary>The checkpoint directory of one run of a task.</summary>
    public string RunMeta(string agentId, string frameworkId, string taskId, string runId) =>
        Path.Combine(FrameworkMeta(agentId, frameworkId), "executors", taskId, "runs", runId);

    /// <summary>The sandbox of one run of a task.</summary>
    public string Sandbox(string agentId, string frameworkId, string taskId, string runId) =>
        Path.Combine(Root, "slaves", agentId, "frameworks", frameworkId, "executors", taskId, "runs", runId);

    /// <summary>True when <paramref name="path"/> (absolute) lies inside the work_dir.</summary>
    public bool Contains(string path)
    {
        var full = Path.GetFullPath(path);
        return full == Root || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
