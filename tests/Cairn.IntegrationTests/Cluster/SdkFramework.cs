using Cairn.Scheduler;
using Mesos.V1;
using Mesos.V1.Scheduler;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Cairn.IntegrationTests.Cluster;

/// <summary>A framework on the Cairn.Scheduler SDK, for tests that launch a task and watch its states.</summary>
public sealed class SdkFramework : IAsyncDisposable
{
    private SdkFramework(SchedulerClient client) => Client = client;

    public SchedulerClient Client { get; }

    public static async Task<SdkFramework> SubscribeAsync(LocalCluster cluster, string name, FrameworkID? id = null, bool partitionAware = false)
    {
        var info = new FrameworkInfo
        {
            User = "root",
            Name = name,
            FailoverTimeout = 3600,
            Roles = { "*" },
            Capabilities = { new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.MultiRole } },
        };
        if (partitionAware)
        {
            info.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.PartitionAware });
        }

        if (id is not null)
        {
            info.Id = id;
        }

        var client = new SchedulerClient(new SchedulerClientOptions { Masters = [cluster.MasterAddress], Framework = info });
        await client.StartAsync(CancellationToken.None);
        var framework = new SdkFramework(client);
        await framework.NextAsync(Event.Types.Type.Subscribed);
        return framework;
    }

    public async Task<Event> NextAsync(Event.Types.Type type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var ev = await Client.Events.ReadAsync(cts.Token);
            if (ev.Type == type)
            {
                return ev;
            }

            if (ev.Type == Event.Types.Type.Offers && type != Event.Types.Type.Offers)
            {
                foreach (var offer in ev.Offers.Offers_)
                {
                    _ = await Client.DeclineAsync([offer.Id], new Filters { RefuseSeconds = 1 }, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Launches <paramref name="shell"/> on the first offer and waits for TASK_RUNNING; returns that status.</summary>
    public async Task<TaskStatus> LaunchRunningAsync(string taskId, string shell)
    {
        var offers = await NextAsync(Event.Types.Type.Offers);
        var offer = offers.Offers.Offers_[0];
        var task = new TaskInfo
        {
            Name = taskId,
            TaskId = new TaskID { Value = taskId },
            AgentId = offer.AgentId,
            Command = new CommandInfo { Shell = true, Value = shell },
        };
        foreach (var (name, value) in new[] { ("cpus", 0.1), ("mem", 16.0) })
        {
            task.Resources.Add(new Resource { Name = name, Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = value }, AllocationInfo = new Resource.Types.AllocationInfo { Role = "*" } });
        }

        var result = await Client.LaunchAsync(offer, [task], new Filters { RefuseSeconds = 1 }, CancellationToken.None);
        result.IsSuccess.ShouldBeTrue(result.ToString());
        return await WaitForStateAsync(taskId, TaskState.TaskRunning);
    }

    /// <summary>Waits for an update of the task in one of the states (acknowledging every update); returns it.</summary>
    public async Task<TaskStatus> WaitForStateAsync(string taskId, params TaskState[] states)
    {
        while (true)
        {
            var ev = await NextAsync(Event.Types.Type.Update, TimeSpan.FromMinutes(2));
            var status = ev.Update.Status;
            (await Client.AcknowledgeAsync(status, CancellationToken.None)).IsSuccess.ShouldBeTrue();
            if (status.TaskId.Value == taskId && states.Contains(status.State))
            {
                return status;
            }
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
