using Cairn.Agent.Containerizer;
using Cairn.Api.AgentLink;
using Google.Protobuf;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Agent.Tests;

/// <summary>The agent's loop with real task processes; the test plays the master through a recording link.</summary>
public sealed class AgentTests : IAsyncDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("cairn-agent-").FullName;
    private readonly List<(Agent Agent, CancellationTokenSource Stop, Task Loop)> _agents = [];
    private static readonly FrameworkInfo s_framework = new()
    {
        Id = new FrameworkID { Value = "F1" },
        User = "root",
        Name = "test",
        Capabilities = { new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.TaskKillingState } },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var (agent, stop, loop) in _agents)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await agent.ShutdownAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }

        Directory.Delete(_workDir, recursive: true);
    }

    private (Agent Agent, RecordingLink Link) Start(bool recover = false)
    {
        var link = new RecordingLink();
        var options = new AgentOptions
        {
            Master = "127.0.0.1:1",
            WorkDir = _workDir,
            Resources = [new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 1 } }],
            DefaultKillGracePeriod = TimeSpan.FromSeconds(3),
        };
        var agent = new Agent(options, new ProcessContainerizer(null, TimeProvider.System), link, TimeProvider.System, NullLogger.Instance) { Port = 5999 };
        if (recover)
        {
            agent.Recover();
        }

        var stop = new CancellationTokenSource();
        _agents.Add((agent, stop, agent.RunAsync(stop.Token)));
        agent.OnLinkEvent("link-1", new AgentEvent
        {
            Type = AgentEvent.Types.Type.Registered,
            Registered = new AgentEvent.Types.Registered { AgentId = new AgentID { Value = "S1" }, PingIntervalSeconds = 15, MaxPingTimeouts = 5 },
        });
        return (agent, link);
    }

    private static TaskInfo Command(string id, string shell, params Resource[] resources)
    {
        var task = new TaskInfo
        {
            Name = id,
            TaskId = new TaskID { Value = id },
            AgentId = new AgentID { Value = "S1" },
            Command = new CommandInfo { Shell = true, Value = shell },
        };
        task.Resources.AddRange(resources);
        return task;
    }

    private static void Launch(Agent agent, TaskInfo task) => agent.OnLinkEvent("link-1", new AgentEvent
    {
        Type = AgentEvent.Types.Type.Launch,
        Launch = new AgentEvent.Types.Launch { Framework = s_framework, Tasks = { task } },
    });

    private static void Ack(Agent agent, TaskStatus status) => agent.OnLinkEvent("link-1", new AgentEvent
    {
        Type = AgentEvent.Types.Type.Acknowledge,
        Acknowledge = new AgentEvent.Types.Acknowledge { FrameworkId = s_framework.Id, TaskId = status.TaskId, Uuid = status.Uuid },
    });

    private static List<TaskStatus> Updates(RecordingLink link, string taskId)
    {
        var list = new List<TaskStatus>();
        foreach (var call in link.Sent)
        {
            if (call.Type == AgentCall.Types.Type.StatusUpdate && call.StatusUpdate.Status.TaskId.Value == taskId)
            {
                list.Add(call.StatusUpdate.Status);
            }
        }

        return list;
    }

    // Acknowledges updates as they come until one in a terminal state; returns the distinct updates in order.
    private static async Task<List<TaskStatus>> AckUntilTerminalAsync(Agent agent, RecordingLink link, string taskId)
    {
        var acked = new List<TaskStatus>();
        await ProcessContainerizerTests.WaitForAsync(() =>
        {
            foreach (var status in Updates(link, taskId))
            {
                if (!acked.Exists(a => a.Uuid == status.Uuid))
                {
                    acked.Add(status);
                    Ack(agent, status);
                }
            }

            return acked.Count > 0 && Status.TaskStates.IsTerminal(acked[^1].State);
        });
        return acked;
    }

    [Fact]
    public async Task A_task_goes_starting_running_finished_with_one_update_in_flight_at_a_time()
    {
        var (agent, link) = Start();
        var ports = new Resource { Name = "ports", Type = Value.Types.Type.Ranges, Ranges = new Value.Types.Ranges { Range = { new Value.Types.Range { Begin = 31000, End = 31001 } } } };
        Launch(agent, Command("t1", "echo $MESOS_TASK_ID $MESOS_FRAMEWORK_ID $PORT0 $PORT1 $PORT; test -d \"$MESOS_SANDBOX\"", ports));

        // Nothing after STARTING until it is acknowledged.
        await ProcessContainerizerTests.WaitForAsync(() => Updates(link, "t1").Count >= 1);
        await Task.Delay(300);
        Updates(link, "t1").Select(s => s.State).Distinct().ShouldBe([TaskState.TaskStarting]);

        var updates = await AckUntilTerminalAsync(agent, link, "t1");
        updates.Select(s => s.State).ShouldBe([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished]);
        updates[^1].Message.ShouldBe("Command exited with status 0");
        updates.ShouldAllBe(s => s.Uuid.Length == 16 && s.AgentId.Value == "S1");

        var snapshot = await agent.SnapshotAsync(CancellationToken.None);
        var task = snapshot.Tasks.Single(t => t.Info.TaskId.Value == "t1");
        task.Directory.ShouldStartWith(Path.Combine(_workDir, "slaves", "S1", "frameworks", "F1", "executors", "t1", "runs"));
        File.ReadAllText(Path.Combine(task.Directory, "stdout")).ShouldBe("t1 F1 31000 31001 31000\n");
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_status()
    {
        var (agent, link) = Start();
        Launch(agent, Command("t2", "exit 3"));
        var updates = await AckUntilTerminalAsync(agent, link, "t2");
        updates[^1].State.ShouldBe(TaskState.TaskFailed);
        updates[^1].Message.ShouldBe("Command exited with status 3");
    }

    [Fact]
    public async Task Kill_sends_sigterm_to_the_group_and_reports_killing_then_killed()
    {
        var (agent, link) = Start();
        Launch(agent, Command("t3", "sleep 300"));
        var seen = new List<TaskStatus>();
        await ProcessContainerizerTests.WaitForAsync(() =>
        {
            foreach (var status in Updates(link, "t3"))
            {
                if (!seen.Exists(a => a.Uuid == status.Uuid))
                {
                    seen.Add(status);
                    Ack(agent, status);
                }
            }

            return seen.Exists(s => s.State == TaskState.TaskRunning);
        });
        agent.OnLinkEvent("link-1", new AgentEvent
        {
            Type = AgentEvent.Types.Type.Kill,
            Kill = new AgentEvent.Types.Kill { FrameworkId = s_framework.Id, TaskId = new TaskID { Value = "t3" } },
        });
        var updates = await AckUntilTerminalAsync(agent, link, "t3");
        updates.Select(s => s.State).ShouldBe([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskKilling, TaskState.TaskKilled]);
        updates[^1].Message.ShouldBe("Command terminated with signal Terminated");
    }

    [Fact]
    public async Task Kill_escalates_to_sigkill_after_the_grace_period()
    {
        var (agent, link) = Start();
        Launch(agent, Command("t4", "trap '' TERM; echo ready; while true; do sleep 1; done"));
        var snapshot = await agent.SnapshotAsync(CancellationToken.None);
        var sandbox = snapshot.Tasks.Single().Directory;
        await ProcessContainerizerTests.WaitForAsync(() => File.Exists(Path.Combine(sandbox, "stdout")) && File.ReadAllText(Path.Combine(sandbox, "stdout")).Contains("ready", StringComparison.Ordinal));
        agent.OnLinkEvent("link-1", new AgentEvent
        {
            Type = AgentEvent.Types.Type.Kill,
            Kill = new AgentEvent.Types.Kill
            {
                FrameworkId = s_framework.Id,
                TaskId = new TaskID { Value = "t4" },
                KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 200_000_000 } },
            },
        });
        var updates = await AckUntilTerminalAsync(agent, link, "t4");
        updates[^1].State.ShouldBe(TaskState.TaskKilled);
        updates[^1].Message.ShouldBe("Command terminated with signal Killed");
    }

    [Fact]
    public async Task A_restarted_agent_readopts_its_running_task_and_reports_it_when_registering()
    {
        var (first, link) = Start();
        Launch(first, Command("t5", "sleep 300"));
        var seen = new List<TaskStatus>();
        await ProcessContainerizerTests.WaitForAsync(() =>
        {
            foreach (var status in Updates(link, "t5"))
            {
                if (!seen.Exists(a => a.Uuid == status.Uuid))
                {
                    seen.Add(status);
                    if (status.State == TaskState.TaskStarting)
                    {
                        Ack(first, status);
                    }
                }
            }

            return seen.Exists(s => s.State == TaskState.TaskRunning);
        });

        // "Crash" the first agent: its loop stops, the task process lives on.
        var (_, stop, loop) = _agents[0];
        await stop.CancelAsync();
        await loop;
        _agents.RemoveAt(0);

        var (second, secondLink) = Start(recover: true);
        var register = await second.BuildRegisterAsync(CancellationToken.None);
        register.AgentId.Value.ShouldBe("S1");
        var task = register.Register.Tasks.Single();
        task.TaskId.Value.ShouldBe("t5");
        task.State.ShouldBe(TaskState.TaskRunning);
        task.StatusUpdateState.ShouldBe(TaskState.TaskRunning);
        register.Register.Frameworks.Single().Id.Value.ShouldBe("F1");

        // The unacknowledged RUNNING is resent on the new link, and the adopted task can be killed.
        await ProcessContainerizerTests.WaitForAsync(() => Updates(secondLink, "t5").Exists(s => s.State == TaskState.TaskRunning));
        second.OnLinkEvent("link-1", new AgentEvent
        {
            Type = AgentEvent.Types.Type.Kill,
            Kill = new AgentEvent.Types.Kill { FrameworkId = s_framework.Id, TaskId = new TaskID { Value = "t5" } },
        });
        var updates = await AckUntilTerminalAsync(second, secondLink, "t5");
        updates[^1].State.ShouldBe(TaskState.TaskKilled);
    }

    [Fact]
    public async Task Shutdown_kills_every_task()
    {
        var (agent, link) = Start();
        Launch(agent, Command("t6", "sleep 300"));
        await ProcessContainerizerTests.WaitForAsync(() => Updates(link, "t6").Count >= 1);
        var snapshot = await agent.SnapshotAsync(CancellationToken.None);
        await ProcessContainerizerTests.WaitForAsync(() => agent.SnapshotAsync(CancellationToken.None).Result.Tasks.Single().Pid is not null);
        var pid = agent.SnapshotAsync(CancellationToken.None).Result.Tasks.Single().Pid!.Value;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.ShutdownAsync(limit.Token);
        Directory.Exists($"/proc/{pid}").ShouldBeFalse();
        snapshot.ShouldNotBeNull();
    }
}
