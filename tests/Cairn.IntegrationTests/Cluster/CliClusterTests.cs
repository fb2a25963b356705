using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Cluster;

/// <summary><c>cairn run</c> and <c>cairn task log</c> against a real cluster.</summary>
public sealed class CliClusterTests
{
    [Fact]
    public async Task Run_prints_the_task_output_and_exits_with_its_code_and_task_log_reads_it_back()
    {
        await using var cluster = await LocalCluster.StartAsync(1);

        await using (var hello = CairnProcess.Start("cairn run hello", ["run", "--master", cluster.MasterAddress, "--cpus", "0.1", "--mem", "32", "--", "sh", "-c", "echo hello; echo to-stderr >&2"]))
        {
            (await hello.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(0, hello.Output);
            hello.Output.ShouldContain("hello");
            hello.Output.ShouldContain("to-stderr");
            hello.Output.ShouldContain("TASK_FINISHED");
        }

        await using (var three = CairnProcess.Start("cairn run exit 3", ["run", "--master", cluster.MasterAddress, "--", "exit 3"]))
        {
            (await three.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(3, three.Output);
            three.Output.ShouldContain("Command exited with status 3");
        }

        await using var logged = CairnProcess.Start("cairn run lines", ["run", "--master", cluster.MasterAddress, "--name", "lines", "--", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; echo err-line >&2"]);
        (await logged.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(0, logged.Output);
        var taskId = logged.Output.Split('\n').First(l => l.Contains("launching task", StringComparison.Ordinal)).Split(' ')[4];

        await using (var log = CairnProcess.Start("cairn task log", ["task", "log", taskId, "--master", cluster.MasterAddress, "--lines", "2"]))
        {
            (await log.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, log.Output);
            log.Output.ShouldBe("line4\nline5\n");
        }

        await using (var err = CairnProcess.Start("cairn task log --stderr", ["task", "log", taskId, "--master", cluster.MasterAddress, "--stderr"]))
        {
            (await err.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, err.Output);
            err.Output.ShouldBe("err-line\n");
        }

        await using var unknown = CairnProcess.Start("cairn task log unknown", ["task", "log", "no-such-task", "--master", cluster.MasterAddress]);
        (await unknown.WaitForExitAsync(TimeSpan.FromMinutes(1))).ShouldBe(1);
        unknown.Output.ShouldContain("no task 'no-such-task'");
    }
}
