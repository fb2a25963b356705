using Cairn.Agent.Containerizer;
using Cairn.Agent.Status;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent;

public sealed partial class Agent
{
    private void Kill(string frameworkId, string taskId, KillPolicy? policy)
    {
        if (!_tasks.TryGetValue(TaskRecord.KeyOf(frameworkId, taskId), out var record) || TaskStates.IsTerminal(record.State))
        {
            LogKillUnknown(_logger, taskId);
            return;
        }

        var grace = GracePeriod(policy ?? record.Info.KillPolicy);
        if (record.ProcessGone || record.Process is not { } process)
        {
            record.KillRequested = true;
            Finish(record, null);
            return;
        }

        if (record.KillRequested)
        {
            // A second kill may only shorten the grace period; zero means now.
            if (grace == TimeSpan.Zero)
            {
                ProcessContainerizer.Signal(process.Pid, Posix.SigKill);
            }

            return;
        }

        record.KillRequested = true;
        if (!record.Silenced && _frameworks.TryGetValue(frameworkId, out var framework) && HasCapability(framework, FrameworkInfo.Types.Capability.Types.Type.TaskKillingState))
        {
            SendUpdate(record, TaskState.TaskKilling, null, null);
        }

        if (grace <= TimeSpan.Zero)
        {
            ProcessContainerizer.Signal(process.Pid, Posix.SigKill);
            return;
        }

        ProcessContainerizer.Signal(process.Pid, Posix.SigTerm);
        var key = record.Key;
        var generation = record.Generation;
        record.KillTimer = _time.CreateTimer(_ => Post(new KillGraceExpired(key, generation)), null, grace, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan GracePeriod(KillPolicy? policy) =>
        policy?.GracePeriod is { } duration ? TimeSpan.FromTicks(Math.Max(0, duration.Nanoseconds / 100)) : _options.DefaultKillGracePeriod;

    private void OnKillGraceExpired(KillGraceExpired e)
    {
        if (_tasks.TryGetValue(e.Key, out var record) && record.Generation == e.Generation && !record.ProcessGone && record.Process is { } process)
        {
            LogEscalating(_logger, record.TaskId);
            ProcessContainerizer.Signal(process.Pid, Posix.SigKill);
        }
    }

    private void OnProcessExited(ProcessExited e)
    {
        if (!_tasks.TryGetValue(e.Key, out var record) || record.Generation != e.Generation || record.ProcessGone)
        {
            return;
        }

        record.ProcessGone = true;
        record.KillTimer?.Dispose();
        record.KillTimer = null;
        Finish(record, e.Status);
    }

    // The process is gone: the terminal update, then (shutting down) maybe the end of the shutdown.
    private void Finish(TaskRecord record, WaitStatus? status)
    {
        if (TaskStates.IsTerminal(record.State))
        {
            return;
        }

        if (record.Silenced)
        {
            record.State = TaskState.TaskKilled;
            Retire(record);
            _tasks.Remove(record.Key);
        }
        else if (record.KillRequested)
        {
            SendUpdate(record, TaskState.TaskKilled, status?.Describe() ?? "Task killed", null);
        }
        else if (status is { ExitCode: 0 })
        {
            SendUpdate(record, TaskState.TaskFinished, status.Value.Describe(), null);
        }
        else if (status is { } failed)
        {
            SendUpdate(record, TaskState.TaskFailed, failed.Describe(), TaskStatus.Types.Reason.CommandExecutorFailed);
        }
        else
        {
            SendUpdate(record, TaskState.TaskFailed, "Task process exited while the agent was not running; its exit status is unknown", TaskStatus.Types.Reason.ExecutorTerminated);
        }

        CheckShutdownDone();
    }

    private void ShutdownFramework(string frameworkId)
    {
        foreach (var record in _tasks.Values.ToArray())
        {
            if (record.FrameworkId == frameworkId)
            {
                record.Silenced = true;
                Kill(frameworkId, record.TaskId, null);
            }
        }

        _frameworks.Remove(frameworkId);
    }

    private void StartShutdown(TaskCompletionSource reply)
    {
        _shutdown = reply;
        foreach (var record in _tasks.Values.ToArray())
        {
            if (!TaskStates.IsTerminal(record.State))
            {
                Kill(record.FrameworkId, record.TaskId, null);
            }
        }

        CheckShutdownDone();
    }

    private void CheckShutdownDone()
    {
        if (_shutdown is null)
        {
            return;
        }

        foreach (var record in _tasks.Values)
        {
            if (!record.ProcessGone && record.Process is not null)
            {
                return;
            }
        }

        _shutdown.TrySetResult();
    }

    private static bool HasCapability(FrameworkInfo framework, FrameworkInfo.Types.Capability.Types.Type type)
    {
        foreach (var capability in framework.Capabilities)
        {
            if (capability.Type == type)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kill of task {TaskId}: not running here")]
    private static partial void LogKillUnknown(ILogger logger, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "task {TaskId} outlived its kill grace period: SIGKILL")]
    private static partial void LogEscalating(ILogger logger, string taskId);
}
