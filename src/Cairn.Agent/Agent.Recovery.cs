using System.Globalization;
using Cairn.Agent.Checkpoint;
using Cairn.Agent.Containerizer;
using Cairn.Agent.Status;
using Google.Protobuf;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent;

public sealed partial class Agent
{
    /// <summary>
    /// Reads the checkpoints of a previous run with the same work_dir (call once, before <see cref="RunAsync"/>):
    /// the agent id, frameworks, tasks with their unacknowledged updates, and the task processes, which are
    /// re-adopted when still alive. Tasks whose process died while the agent was down get TASK_FAILED.
    /// </summary>
    public void Recover()
    {
        var id = CheckpointFiles.TryRead(_layout.LatestAgentIdFile) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes).Trim() : null;
        if (string.IsNullOrEmpty(id))
        {
            return;
        }

        _agentId = id;
        var frameworksDir = Path.Combine(_layout.AgentMeta(id), "frameworks");
        if (!Directory.Exists(frameworksDir))
        {
            return;
        }

        foreach (var frameworkDir in Directory.GetDirectories(frameworksDir))
        {
            var frameworkId = Path.GetFileName(frameworkDir);
            if (CheckpointFiles.TryRead(Path.Combine(frameworkDir, "framework.info")) is { } info)
            {
                _frameworks[frameworkId] = FrameworkInfo.Parser.ParseFrom(info);
            }

            var executorsDir = Path.Combine(frameworkDir, "executors");
            if (!Directory.Exists(executorsDir))
            {
                continue;
            }

            foreach (var executorDir in Directory.GetDirectories(executorsDir))
            {
                var taskId = Path.GetFileName(executorDir);
                var runsDir = Path.Combine(executorDir, "runs");
                if (!Directory.Exists(runsDir))
                {
                    continue;
                }

                var runs = Directory.GetDirectories(runsDir);
                Array.Sort(runs, (a, b) => Directory.GetCreationTimeUtc(a).CompareTo(Directory.GetCreationTimeUtc(b)));
                foreach (var runDir in runs)
                {
                    if (!File.Exists(Path.Combine(runDir, "completed")))
                    {
                        RecoverRun(id, frameworkId, taskId, runDir);
                    }
                }
            }
        }
    }

    private void RecoverRun(string agentId, string frameworkId, string taskId, string runDir)
    {
        try
        {
            if (CheckpointFiles.TryRead(Path.Combine(runDir, "tasks", taskId, "task.info")) is not { } taskBytes)
            {
                return;
            }

            var task = TaskInfo.Parser.ParseFrom(taskBytes);
            var runId = Path.GetFileName(runDir);
            var updatesPath = UpdatesPath(runDir, taskId);
            var (all, pending) = UpdateLog.Replay(updatesPath);
            var record = new TaskRecord(frameworkId, task, runId, ++_generation, _layout.Sandbox(agentId, frameworkId, taskId, runId), runDir, new UpdateLog(updatesPath));
            record.Statuses.AddRange(all);
            record.State = all.Count > 0 ? all[^1].State : TaskState.TaskStaging;
            foreach (var status in pending)
            {
                record.Updates.Enqueue(status);
            }

            if (TaskStates.IsTerminal(record.State))
            {
                record.ProcessGone = true;
                if (pending.Count == 0)
                {
                    Retire(record);
                    return;
                }

                _tasks[record.Key] = record;
                return;
            }

            _tasks[record.Key] = record;
            if (ReadPid(runDir) is { } process)
            {
                var key = record.Key;
                var generation = record.Generation;
                if (_containerizer.Adopt(runId, process, () => Post(new ProcessExited(key, generation, null))))
                {
                    record.Process = process;
                    LogAdopted(_logger, taskId, process.Pid);
                    return;
                }
            }

            record.ProcessGone = true;
            Finish(record, null);
        }
        catch (InvalidProtocolBufferException e)
        {
            LogRecoveryError(_logger, runDir, e.Message);
        }
    }

    private static LaunchedProcess? ReadPid(string runDir)
    {
        if (CheckpointFiles.TryRead(Path.Combine(runDir, "pids", "forked.pid")) is not { } bytes)
        {
            return null;
        }

        var parts = System.Text.Encoding.ASCII.GetString(bytes).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)
            ? new LaunchedProcess(pid, start)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "re-adopted task {TaskId} (pid {Pid})")]
    private static partial void LogAdopted(ILogger logger, string taskId, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not recover {RunDir}: {Error}")]
    private static partial void LogRecoveryError(ILogger logger, string runDir, string error);
}
