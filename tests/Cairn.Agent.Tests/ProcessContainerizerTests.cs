using Cairn.Agent.Containerizer;

namespace Cairn.Agent.Tests;

public sealed class ProcessContainerizerTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("cairn-proc-").FullName;

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private async Task<(LaunchedProcess Process, Task<WaitStatus> Exit)> StartAsync(string script, params string[] env)
    {
        var exit = new TaskCompletionSource<WaitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var containerizer = new ProcessContainerizer(null, TimeProvider.System);
        var spec = new LaunchSpec("c1", "/bin/sh", ["sh", "-c", script], ["PATH=/usr/bin:/bin", .. env], _sandbox, null, null);
        var (process, error) = containerizer.Launch(spec, exit.SetResult);
        error.ShouldBeNull();
        await Task.Yield();
        return (process!.Value, exit.Task);
    }

    [Fact]
    public async Task Exit_code_stdout_stderr_and_environment_reach_the_sandbox()
    {
        var (_, exit) = await StartAsync("echo out $GREETING; echo err >&2; exit 3", "GREETING=hi");
        (await exit.WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe(new WaitStatus(3, null));
        File.ReadAllText(Path.Combine(_sandbox, "stdout")).ShouldBe("out hi\n");
        File.ReadAllText(Path.Combine(_sandbox, "stderr")).ShouldBe("err\n");
    }

    [Fact]
    public async Task Task_runs_in_its_own_session_with_the_sandbox_as_working_directory()
    {
        var (process, exit) = await StartAsync("pwd; ps -o sid= -p $$");
        (await exit.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode.ShouldBe(0);
        var lines = File.ReadAllLines(Path.Combine(_sandbox, "stdout"));
        lines[0].ShouldBe(_sandbox);
        int.Parse(lines[1].Trim(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(process.Pid);
    }

    [Fact]
    public async Task Signal_reaches_the_whole_process_group_and_is_reported_as_the_signal()
    {
        // The grandchild would outlive a kill of the shell alone.
        var (process, exit) = await StartAsync("sleep 300 & echo $! > child.pid; wait");
        var childPidFile = Path.Combine(_sandbox, "child.pid");
        await WaitForAsync(() => File.Exists(childPidFile) && File.ReadAllText(childPidFile).Trim().Length > 0);
        var child = int.Parse(File.ReadAllText(childPidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        ProcessContainerizer.Signal(process.Pid, 15);
        var status = await exit.WaitAsync(TimeSpan.FromSeconds(60));
        status.Signal.ShouldBe(15);
        status.Describe().ShouldBe("Command terminated with signal Terminated");
        await WaitForAsync(() => !Directory.Exists($"/proc/{child}") || File.ReadAllText($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigpipe_is_at_its_default_disposition_in_tasks()
    {
        var (_, exit) = await StartAsync("grep SigIgn /proc/self/status | awk '{print $2}'");
        (await exit.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode.ShouldBe(0);
        var ignored = Convert.ToUInt64(File.ReadAllText(Path.Combine(_sandbox, "stdout")).Trim(), 16);
        (ignored & (1UL << (13 - 1))).ShouldBe(0UL);
    }

    [Fact]
    public void A_missing_executable_is_a_launch_error_not_an_exception()
    {
        var containerizer = new ProcessContainerizer(null, TimeProvider.System);
        var spec = new LaunchSpec("c1", "/no/such/binary", ["x"], [], _sandbox, null, null);
        var (process, error) = containerizer.Launch(spec, _ => { });
        process.ShouldBeNull();
        error!.ShouldContain("/no/such/binary");
    }

    [Fact]
    public void Wait_status_decodes_exit_codes_and_signals()
    {
        WaitStatus.FromRaw(3 << 8).ShouldBe(new WaitStatus(3, null));
        WaitStatus.FromRaw(9).ShouldBe(new WaitStatus(null, 9));
        WaitStatus.FromRaw(9).Describe().ShouldBe("Command terminated with signal Killed");
        WaitStatus.FromRaw(0).Describe().ShouldBe("Command exited with status 0");
        WaitStatus.FromRaw(9).ShellCode.ShouldBe(137);
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not reached in 60 s");
            }

            await Task.Delay(20);
        }
    }
}
