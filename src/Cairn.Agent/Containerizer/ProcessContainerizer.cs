namespace Cairn.Agent.Containerizer;

/// <summary>
/// Runs tasks as plain processes, each the leader of its own session and process group (so a kill reaches
/// everything the task started, and the agent's own signals do not). Children are reaped by a small
/// dedicated thread each (blocking waitpid gives the exact exit code or signal); processes re-adopted
/// after an agent restart are not our children and are watched by polling /proc instead.
/// </summary>
public sealed class ProcessContainerizer
{
    private static readonly TimeSpan s_adoptedPollInterval = TimeSpan.FromMilliseconds(250);
    private readonly CgroupsV1? _cgroups;
    private readonly TimeProvider _time;

    /// <summary>Creates a containerizer; <paramref name="cgroups"/> enables cgroups v1 limits.</summary>
    public ProcessContainerizer(CgroupsV1? cgroups, TimeProvider time)
    {
        _cgroups = cgroups;
        _time = time;
    }

    /// <summary>
    /// Starts the task. <paramref name="onExit"/> runs on a reaper thread with the wait status once the process
    /// is gone. Returns the process, or an error message (the agent reports TASK_FAILED).
    /// </summary>
    public (LaunchedProcess? Process, string? Error) Launch(LaunchSpec spec, Action<WaitStatus> onExit)
    {
        var stdout = Path.Combine(spec.Sandbox, "stdout");
        var stderr = Path.Combine(spec.Sandbox, "stderr");
        var pid = Posix.Spawn(spec.File, spec.Argv, spec.Environment, spec.Sandbox, stdout, stderr);
        if (pid <= 0)
        {
            return (null, $"Failed to launch '{spec.File}': {new System.ComponentModel.Win32Exception(-pid).Message}");
        }

        if (_cgroups is not null && (spec.CpuLimit is not null || spec.MemoryLimitMb is not null))
        {
            var error = _cgroups.Isolate(spec.ContainerId, pid, spec.CpuLimit, spec.MemoryLimitMb);
            if (error is not null)
            {
                Posix.Kill(-pid, Posix.SigKill);
                _ = Posix.Wait(pid);
                return (null, $"Failed to isolate the task in cgroups: {error}");
            }
        }

        var startTime = ProcessStartTime.Read(pid) ?? 0;
        var reaper = new Thread(() =>
        {
            var status = Posix.Wait(pid) ?? new WaitStatus(null, Posix.SigKill);
            // Anything the task left behind in its group goes with it.
            Posix.Kill(-pid, Posix.SigKill);
            _cgroups?.Cleanup(spec.ContainerId);
            onExit(status);
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = $"reap {pid}",
        };
        reaper.Start();
        return (new LaunchedProcess(pid, startTime), null);
    }

    /// <summary>
    /// Re-adopts a process started by a previous agent run. Returns false when it is gone (or its pid now
    /// belongs to another process). <paramref name="onGone"/> runs once the process disappears; its exit
    /// status is unknowable because it is not our child.
    /// </summary>
    public bool Adopt(string containerId, LaunchedProcess process, Action onGone)
    {
        if (!IsSameProcess(process))
        {
            return false;
        }

        ITimer? timer = null;
        var gone = 0;
        timer = _time.CreateTimer(
            _ =>
            {
                if (!IsSameProcess(process) && Interlocked.Exchange(ref gone, 1) == 0)
                {
                    timer?.Dispose();
                    Posix.Kill(-process.Pid, Posix.SigKill);
                    _cgroups?.Cleanup(containerId);
                    onGone();
                }
            },
            null,
            s_adoptedPollInterval,
            s_adoptedPollInterval);
        return true;
    }

    /// <summary>Sends <paramref name="signal"/> to the task's whole process group.</summary>
    public static void Signal(int pid, int signal)
    {
        if (!Posix.Kill(-pid, signal))
        {
            Posix.Kill(pid, signal);
        }
    }

    private static bool IsSameProcess(LaunchedProcess process) =>
        Posix.IsAlive(process.Pid) && (process.StartTime == 0 || ProcessStartTime.Read(process.Pid) == process.StartTime);
}
