using Cairn.IntegrationTests.Infrastructure;
using Mesos.V1;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Cairn.IntegrationTests.Cluster;

/// <summary>Agents and frameworks that go away and come back.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task An_agent_killed_with_sigkill_makes_its_task_lost_within_the_ping_timeout()
    {
        await using var cluster = await LocalCluster.StartAsync(1, "--agent_ping_timeout", "1secs", "--max_agent_ping_timeouts", "2");
        await using var framework = await SdkFramework.SubscribeAsync(cluster, "lost");
        await framework.LaunchRunningAsync("victim", "sleep 120");
        await cluster.TrackTaskPidsAsync(1);

        cluster.Agents[0].Signal(Signals.Kill);
        var status = await framework.WaitForStateAsync("victim", TaskState.TaskLost, TaskState.TaskUnreachable);
        status.Source.ShouldBe(TaskStatus.Types.Source.Master);
    }

    [Fact]
    public async Task A_partition_aware_framework_sees_its_task_unreachable()
    {
        await using var cluster = await LocalCluster.StartAsync(1, "--agent_ping_timeout", "1secs", "--max_agent_ping_timeouts", "2");
        await using var framework = await SdkFramework.SubscribeAsync(cluster, "partition-aware", partitionAware: true);
        await framework.LaunchRunningAsync("victim", "sleep 120");
        await cluster.TrackTaskPidsAsync(1);

        cluster.Agents[0].Signal(Signals.Kill);
        await framework.WaitForStateAsync("victim", TaskState.TaskUnreachable);
    }

    [Fact]
    public async Task A_restarted_agent_readopts_its_running_task()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        await using var framework = await SdkFramework.SubscribeAsync(cluster, "readopt");
        var running = await framework.LaunchRunningAsync("survivor", "sleep 120");
        await cluster.TrackTaskPidsAsync(1);

        var first = cluster.Agents[0];
        first.Signal(Signals.Kill);
        await first.WaitForExitAsync(TimeSpan.FromMinutes(1));
        var second = await cluster.StartAgentAsync(1);
        second.Output.ShouldContain($"re-registered with master {cluster.MasterAddress} as {running.AgentId.Value}");

        // Still running on the master's books, and the new agent process can kill it.
        await Poll.UntilAsync(async () =>
        {
            using var state = await cluster.StateAsync();
            return state.RootElement.ToString().Contains("\"TASK_RUNNING\"", StringComparison.Ordinal);
        }, "the task to be running after the agent restart");
        (await framework.Client.KillAsync(running.TaskId, running.AgentId, null, CancellationToken.None)).IsSuccess.ShouldBeTrue();
        var killed = await framework.WaitForStateAsync("survivor", TaskState.TaskKilled);
        killed.AgentId.ShouldBe(running.AgentId);
    }

    [Fact]
    public async Task A_framework_that_disconnects_resubscribes_with_its_id_and_reconciles_its_tasks()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        FrameworkID id;
        TaskStatus running;
        await using (var framework = await SdkFramework.SubscribeAsync(cluster, "failover"))
        {
            running = await framework.LaunchRunningAsync("kept", "sleep 120");
            id = framework.Client.FrameworkId!;
        }

        await using var again = await SdkFramework.SubscribeAsync(cluster, "failover", id);
        again.Client.FrameworkId.ShouldBe(id);
        (await again.Client.ReconcileAsync([(running.TaskId, running.AgentId)], CancellationToken.None)).IsSuccess.ShouldBeTrue();
        var reconciled = await again.WaitForStateAsync("kept", TaskState.TaskRunning);
        reconciled.Reason.ShouldBe(TaskStatus.Types.Reason.Reconciliation);

        (await again.Client.ReconcileAsync([], CancellationToken.None)).IsSuccess.ShouldBeTrue();
        (await again.WaitForStateAsync("kept", TaskState.TaskRunning)).Reason.ShouldBe(TaskStatus.Types.Reason.Reconciliation);
    }
}
