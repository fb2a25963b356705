using Cairn.Api.AgentLink;
using Cairn.Api.Conversions;
using Cairn.Common;
using Cairn.Master.Allocation;
using Cairn.Master.Core;
using Cairn.Master.Model;
using Cairn.Master.Options;
using Cairn.Testing;
using Mesos.V1;
using Mesos.V1.Scheduler;
using Microsoft.Extensions.Logging.Abstractions;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Tests;

/// <summary>A master core on a fake clock with the real DRF allocator, driven without sockets.</summary>
internal sealed class MasterHarness
{
    public MasterHarness(Action<MasterOptions>? configure = null, Registry.RegistryState? recovered = null)
    {
        Options = new MasterOptions { Port = 5050 };
        configure?.Invoke(Options);
        Time = new FakeTimeProvider();
        Core = new MasterCore(Options, Time, DrfOfferAllocator.Create(Options, Time), NullLogger.Instance, recovered, "test-master");
    }

    public MasterOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public MasterCore Core { get; }

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Core.Tick();
    }

    public SubscribeResult Subscribe(string name = "fw", bool partitionAware = false, string? frameworkId = null, double failoverTimeout = 0, string role = "*")
    {
        #pragma warning disable CS0612
        var info = new FrameworkInfo { User = "test", Name = name, FailoverTimeout = failoverTimeout, Role = role };
#pragma warning restore CS0612
        if (partitionAware)
        {
            info.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.PartitionAware });
        }

        var call = new Mesos.V1.Scheduler.Call { Type = Mesos.V1.Scheduler.Call.Types.Type.Subscribe, Subscribe = new Mesos.V1.Scheduler.Call.Types.Subscribe { FrameworkInfo = info } };
        if (frameworkId is not null)
        {
            info.Id = new FrameworkID { Value = frameworkId };
            call.FrameworkId = new FrameworkID { Value = frameworkId };
        }

        var result = Core.Subscribe(call);
        result.Result.StatusCode.ShouldBe(200, result.Result.Error);
        return result;
    }

    public AgentRegisterResult RegisterAgent(string hostname = "agent1", string resources = "cpus:4;mem:4096;ports:[31000-31009]", string? agentId = null, IEnumerable<Mesos.V1.Task>? tasks = null, IEnumerable<FrameworkInfo>? frameworks = null)
    {
        var info = new AgentInfo { Hostname = hostname, Port = 5051 };
        Resources.Parse(resources).AddTo(info.Resources);
        if (agentId is not null)
        {
            info.Id = new AgentID { Value = agentId };
        }

        var register = new AgentCall.Types.Register { AgentInfo = info };
        if (tasks is not null)
        {
            register.Tasks.AddRange(tasks);
        }

        if (frameworks is not null)
        {
            register.Frameworks.AddRange(frameworks);
        }

        var result = Core.RegisterAgent(register);
        result.Result.StatusCode.ShouldBe(200, result.Result.Error);
        return result;
    }

    public CallResult Call(SubscribeResult subscription, Call call)
    {
        call.FrameworkId = new FrameworkID { Value = subscription.FrameworkId };
        return Core.Handle(call, subscription.Stream!.Id);
    }

    /// <summary>Runs an allocation and returns the offers the framework got.</summary>
    public List<Offer> AllocateAndTakeOffers(SubscribeResult subscription)
    {
        Core.Allocate();
        var offers = new List<Offer>();
        foreach (var e in Drain(subscription.Stream!))
        {
            if (e.Type == SchedulerEvent.Types.Type.Offers)
            {
                offers.AddRange(e.Offers.Offers_);
            }
        }

        return offers;
    }

    public CallResult Launch(SubscribeResult subscription, Offer offer, params TaskInfo[] tasks)
    {
        var operation = new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = new Offer.Types.Operation.Types.Launch() };
        operation.Launch.TaskInfos.AddRange(tasks);
        var accept = new Call.Types.Accept();
        accept.OfferIds.Add(offer.Id);
        accept.Operations.Add(operation);
        return Call(subscription, new Call { Type = Mesos.V1.Scheduler.Call.Types.Type.Accept, Accept = accept });
    }

    public static TaskInfo Task(string id, Offer offer, string resources = "cpus:1;mem:128", string command = "true")
    {
        var task = new TaskInfo
        {
            Name = id,
            TaskId = new TaskID { Value = id },
            AgentId = offer.AgentId,
            Command = new CommandInfo { Value = command, Shell = true },
        };
        Resources.Parse(resources).AddTo(task.Resources);
        return task;
    }

    public CallResult AgentUpdate(AgentRegisterResult agent, string frameworkId, string taskId, TaskState state, Google.Protobuf.ByteString? uuid = null)
    {
        var status = new TaskStatus
        {
            TaskId = new TaskID { Value = taskId },
            State = state,
            Source = TaskStatus.Types.Source.Executor,
            Uuid = uuid ?? Google.Protobuf.ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
        };
        return Core.AgentStatusUpdate(agent.Link!.Id, new AgentCall
        {
            Type = AgentCall.Types.Type.StatusUpdate,
            AgentId = new AgentID { Value = agent.AgentId },
            StatusUpdate = new AgentCall.Types.StatusUpdate { FrameworkId = new FrameworkID { Value = frameworkId }, Status = status },
        });
    }

    public static List<T> Drain<T>(EventStream<T> stream)
    {
        var items = new List<T>();
        while (stream.Reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    public static List<TaskStatus> Updates(EventStream<SchedulerEvent> stream)
    {
        var updates = new List<TaskStatus>();
        foreach (var e in Drain(stream))
        {
            if (e.Type == SchedulerEvent.Types.Type.Update)
            {
                updates.Add(e.Update.Status);
            }
        }

        return updates;
    }
}
