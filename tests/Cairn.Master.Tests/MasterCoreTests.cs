using Cairn.Api.AgentLink;
using Mesos.V1;
using Mesos.V1.Scheduler;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Tests;

public sealed class MasterCoreTests
{
    [Fact]
    public void Subscribe_sends_subscribed_then_heartbeat_and_assigns_a_framework_id()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        sub.FrameworkId.ShouldBe("test-master-0000");
        var events = MasterHarness.Drain(sub.Stream!);
        events.Count.ShouldBe(2);
        events[0].Type.ShouldBe(SchedulerEvent.Types.Type.Subscribed);
        events[0].Subscribed.FrameworkId.Value.ShouldBe(sub.FrameworkId);
        events[0].Subscribed.HeartbeatIntervalSeconds.ShouldBe(15);
        events[0].Subscribed.MasterInfo.Id.ShouldBe("test-master");
        events[1].Type.ShouldBe(SchedulerEvent.Types.Type.Heartbeat);
    }

    [Fact]
    public void Heartbeats_follow_every_15_seconds()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        MasterHarness.Drain(sub.Stream!);
        h.Advance(TimeSpan.FromSeconds(14));
        MasterHarness.Drain(sub.Stream!).ShouldNotContain(e => e.Type == SchedulerEvent.Types.Type.Heartbeat);
        h.Advance(TimeSpan.FromSeconds(1));
        MasterHarness.Drain(sub.Stream!).Count(e => e.Type == SchedulerEvent.Types.Type.Heartbeat).ShouldBe(1);
    }

    [Fact]
    public void Registered_agent_resources_are_offered_with_attributes_and_hostname()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var registered = MasterHarness.Drain(agent.Link!);
        registered[0].Type.ShouldBe(AgentEvent.Types.Type.Registered);
        registered[0].Registered.AgentId.Value.ShouldBe("test-master-S0");
        registered[0].Registered.PingIntervalSeconds.ShouldBe(15);
        registered[0].Registered.MaxPingTimeouts.ShouldBe(5u);
        var offers = h.AllocateAndTakeOffers(sub);
        offers.Count.ShouldBe(1);
        offers[0].Hostname.ShouldBe("agent1");
        offers[0].AgentId.Value.ShouldBe(agent.AgentId);
        offers[0].Resources.ShouldContain(r => r.Name == "cpus" && r.Scalar.Value == 4 && r.AllocationInfo.Role == "*");
    }

    [Fact]
    public void Accept_launches_the_task_on_the_agent_and_updates_flow_back_until_acknowledged()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        MasterHarness.Drain(agent.Link!);
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer)).StatusCode.ShouldBe(202);
        var launch = MasterHarness.Drain(agent.Link!).Single(e => e.Type == AgentEvent.Types.Type.Launch);
        launch.Launch.Tasks.Single().TaskId.Value.ShouldBe("t1");
        launch.Launch.Framework.Id.Value.ShouldBe(sub.FrameworkId);

        var uuid = Google.Protobuf.ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        h.AgentUpdate(agent, sub.FrameworkId!, "t1", TaskState.TaskRunning).StatusCode.ShouldBe(202);
        h.AgentUpdate(agent, sub.FrameworkId!, "t1", TaskState.TaskFinished, uuid).StatusCode.ShouldBe(202);
        var updates = MasterHarness.Updates(sub.Stream!);
        updates.Select(u => u.State).ShouldBe([TaskState.TaskRunning, TaskState.TaskFinished]);
        updates[1].Uuid.ShouldBe(uuid);
        h.Core.Frameworks[sub.FrameworkId!].Tasks.ShouldContainKey("t1");

        h.Call(sub, new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = new Call.Types.Acknowledge { AgentId = offer.AgentId, TaskId = new TaskID { Value = "t1" }, Uuid = uuid } }).StatusCode.ShouldBe(202);
        var ack = MasterHarness.Drain(agent.Link!).Single(e => e.Type == AgentEvent.Types.Type.Acknowledge);
        ack.Acknowledge.Uuid.ShouldBe(uuid);
        h.Core.Frameworks[sub.FrameworkId!].Tasks.ShouldNotContainKey("t1");
        h.Core.Frameworks[sub.FrameworkId!].CompletedTasks.Single().State.ShouldBe(TaskState.TaskFinished);
    }

    [Fact]
    public void A_task_asking_for_more_than_the_offer_gets_TASK_ERROR()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        MasterHarness.Drain(agent.Link!);
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("big", offer, "cpus:5;mem:128"));
        var update = MasterHarness.Updates(sub.Stream!).Single();
        update.State.ShouldBe(TaskState.TaskError);
        update.Reason.ShouldBe(TaskStatus.Types.Reason.TaskInvalid);
        update.Source.ShouldBe(TaskStatus.Types.Source.Master);
        update.HasUuid.ShouldBeFalse();
        MasterHarness.Drain(agent.Link!).ShouldBeEmpty();
    }

    [Fact]
    public void Duplicate_task_ids_and_missing_commands_get_TASK_ERROR()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        var noCommand = MasterHarness.Task("nocmd", offer);
        noCommand.Command = null;
        h.Launch(sub, offer, MasterHarness.Task("dup", offer), MasterHarness.Task("dup", offer), noCommand);
        var updates = MasterHarness.Updates(sub.Stream!);
        updates.Count.ShouldBe(2);
        updates.ShouldAllBe(u => u.State == TaskState.TaskError);
        updates[0].Message.ShouldContain("duplicate ID");
        updates[1].Message.ShouldContain("CommandInfo or ExecutorInfo");
        h.Core.Frameworks[sub.FrameworkId!].Tasks.Keys.ShouldBe(["dup"]);
    }

    [Fact]
    public void A_launch_on_a_used_offer_is_TASK_LOST_or_TASK_DROPPED_for_partition_aware_frameworks()
    {
        foreach (var partitionAware in new[] { false, true })
        {
            var h = new MasterHarness();
            var sub = h.Subscribe(partitionAware: partitionAware);
            h.RegisterAgent();
            var offer = h.AllocateAndTakeOffers(sub).Single();
            h.Launch(sub, offer, MasterHarness.Task("t1", offer));
            MasterHarness.Drain(sub.Stream!);
            h.Launch(sub, offer, MasterHarness.Task("t2", offer)).StatusCode.ShouldBe(202);
            var update = MasterHarness.Updates(sub.Stream!).Single();
            update.State.ShouldBe(partitionAware ? TaskState.TaskDropped : TaskState.TaskLost);
            update.Reason.ShouldBe(TaskStatus.Types.Reason.InvalidOffers);
        }
    }

    [Fact]
    public void Declined_resources_are_not_reoffered_before_refuse_seconds()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        var decline = new Call.Types.Decline { Filters = new Filters { RefuseSeconds = 30 } };
        decline.OfferIds.Add(offer.Id);
        h.Call(sub, new Call { Type = Call.Types.Type.Decline, Decline = decline }).StatusCode.ShouldBe(202);
        h.Core.Offers.ShouldBeEmpty();
        h.Advance(TimeSpan.FromSeconds(10));
        h.AllocateAndTakeOffers(sub).ShouldBeEmpty();
        h.Advance(TimeSpan.FromSeconds(25));
        h.AllocateAndTakeOffers(sub).Count.ShouldBe(1);
    }

    [Fact]
    public void Suppress_stops_offers_and_revive_resumes_them()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        h.Call(sub, new Call { Type = Call.Types.Type.Suppress }).StatusCode.ShouldBe(202);
        h.RegisterAgent();
        h.AllocateAndTakeOffers(sub).ShouldBeEmpty();
        h.Call(sub, new Call { Type = Call.Types.Type.Revive }).StatusCode.ShouldBe(202);
        h.AllocateAndTakeOffers(sub).Count.ShouldBe(1);
    }

    [Fact]
    public void Offers_are_rescinded_after_the_offer_timeout()
    {
        var h = new MasterHarness(o => o.OfferTimeout = TimeSpan.FromSeconds(10));
        var sub = h.Subscribe();
        h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Advance(TimeSpan.FromSeconds(11));
        var events = MasterHarness.Drain(sub.Stream!);
        events.ShouldContain(e => e.Type == SchedulerEvent.Types.Type.Rescind && e.Rescind.OfferId.Value == offer.Id.Value);
        h.Core.Offers.ContainsKey(offer.Id.Value).ShouldBeFalse();
    }

    [Fact]
    public void Kill_is_forwarded_to_the_agent_and_an_unknown_task_is_reconciled()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer));
        MasterHarness.Drain(agent.Link!);
        h.Call(sub, new Call { Type = Call.Types.Type.Kill, Kill = new Call.Types.Kill { TaskId = new TaskID { Value = "t1" } } }).StatusCode.ShouldBe(202);
        MasterHarness.Drain(agent.Link!).Single().Kill.TaskId.Value.ShouldBe("t1");
        h.Call(sub, new Call { Type = Call.Types.Type.Kill, Kill = new Call.Types.Kill { TaskId = new TaskID { Value = "nope" } } }).StatusCode.ShouldBe(202);
        MasterHarness.Updates(sub.Stream!).Single().State.ShouldBe(TaskState.TaskLost);
    }

    [Fact]
    public void Reconcile_answers_per_case_as_Mesos_does()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe(partitionAware: true);
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("known", offer));
        h.AgentUpdate(agent, sub.FrameworkId!, "known", TaskState.TaskRunning);
        MasterHarness.Drain(sub.Stream!);

        var reconcile = new Call.Types.Reconcile();
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "known" } });
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "gone" }, AgentId = new AgentID { Value = agent.AgentId } });
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "unknown-agent" }, AgentId = new AgentID { Value = "no-such-agent" } });
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "no-agent" } });
        h.Call(sub, new Call { Type = Call.Types.Type.Reconcile, Reconcile = reconcile }).StatusCode.ShouldBe(202);
        var updates = MasterHarness.Updates(sub.Stream!);
        updates.Select(u => (u.TaskId.Value, u.State)).ShouldBe([
            ("known", TaskState.TaskRunning),
            ("gone", TaskState.TaskGone),
            ("unknown-agent", TaskState.TaskUnknown),
            ("no-agent", TaskState.TaskUnknown),
        ]);
        updates.ShouldAllBe(u => u.Reason == TaskStatus.Types.Reason.Reconciliation && !u.HasUuid);

        h.Call(sub, new Call { Type = Call.Types.Type.Reconcile, Reconcile = new Call.Types.Reconcile() });
        MasterHarness.Updates(sub.Stream!).Single().TaskId.Value.ShouldBe("known");
    }

    [Fact]
    public void Reconcile_of_unknown_tasks_is_TASK_LOST_for_frameworks_that_are_not_partition_aware()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var reconcile = new Call.Types.Reconcile();
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "gone" }, AgentId = new AgentID { Value = agent.AgentId } });
        MasterHarness.Drain(sub.Stream!);
        h.Call(sub, new Call { Type = Call.Types.Type.Reconcile, Reconcile = reconcile });
        MasterHarness.Updates(sub.Stream!).Single().State.ShouldBe(TaskState.TaskLost);
    }

    [Fact]
    public void An_agent_that_misses_pings_becomes_unreachable_and_gets_its_tasks_back_when_it_returns()
    {
        var h = new MasterHarness(o =>
        {
            o.AgentPingTimeout = TimeSpan.FromSeconds(1);
            o.MaxAgentPingTimeouts = 3;
        });
        var pa = h.Subscribe("pa", partitionAware: true);
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(pa).Single();
        h.Launch(pa, offer, MasterHarness.Task("t1", offer));
        h.AgentUpdate(agent, pa.FrameworkId!, "t1", TaskState.TaskRunning);
        MasterHarness.Drain(pa.Stream!);
        MasterHarness.Drain(agent.Link!);

        h.Advance(TimeSpan.FromSeconds(1));
        MasterHarness.Drain(agent.Link!).Single().Type.ShouldBe(AgentEvent.Types.Type.Ping);
        h.Advance(TimeSpan.FromSeconds(1));
        h.Advance(TimeSpan.FromSeconds(1));
        h.Core.Agents[agent.AgentId!].UnreachableTime.ShouldBeNull();
        h.Advance(TimeSpan.FromSeconds(1));
        h.Core.Agents[agent.AgentId!].UnreachableTime.ShouldNotBeNull();
        var update = MasterHarness.Updates(pa.Stream!).Single();
        update.State.ShouldBe(TaskState.TaskUnreachable);
        update.UnreachableTime.ShouldNotBeNull();
        agent.Link!.IsClosed.ShouldBeTrue();

        var running = new Mesos.V1.Task { TaskId = new TaskID { Value = "t1" }, FrameworkId = new FrameworkID { Value = pa.FrameworkId }, AgentId = new AgentID { Value = agent.AgentId }, Name = "t1", State = TaskState.TaskRunning };
        var back = h.RegisterAgent(agentId: agent.AgentId, tasks: [running]);
        back.AgentId.ShouldBe(agent.AgentId);
        var framework = h.Core.Frameworks[pa.FrameworkId!];
        framework.Tasks["t1"].State.ShouldBe(TaskState.TaskRunning);
        framework.UnreachableTasks.ShouldBeEmpty();
        h.Core.Agents[agent.AgentId!].Active.ShouldBeTrue();
    }

    [Fact]
    public void Pongs_keep_an_agent_reachable()
    {
        var h = new MasterHarness(o =>
        {
            o.AgentPingTimeout = TimeSpan.FromSeconds(1);
            o.MaxAgentPingTimeouts = 2;
        });
        var agent = h.RegisterAgent();
        for (var i = 0; i < 10; i++)
        {
            h.Advance(TimeSpan.FromSeconds(1));
            h.Core.AgentPong(agent.Link!.Id, new AgentCall { Type = AgentCall.Types.Type.Pong, AgentId = new AgentID { Value = agent.AgentId }, Pong = new AgentCall.Types.Pong { Sequence = (ulong)i } }).StatusCode.ShouldBe(202);
        }

        h.Core.Agents[agent.AgentId!].Active.ShouldBeTrue();
    }

    [Fact]
    public void Unreachable_agent_tasks_are_TASK_LOST_for_frameworks_that_are_not_partition_aware()
    {
        var h = new MasterHarness(o =>
        {
            o.AgentPingTimeout = TimeSpan.FromSeconds(1);
            o.MaxAgentPingTimeouts = 1;
        });
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer));
        MasterHarness.Drain(sub.Stream!);
        h.Advance(TimeSpan.FromSeconds(1));
        h.Advance(TimeSpan.FromSeconds(1));
        MasterHarness.Updates(sub.Stream!).Single().State.ShouldBe(TaskState.TaskLost);
    }

    [Fact]
    public void Re_registering_agent_that_lost_a_task_reports_it_lost_and_gets_kill_orders_for_removed_frameworks()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer));
        MasterHarness.Drain(sub.Stream!);
        var teardownVictim = new Mesos.V1.Task { TaskId = new TaskID { Value = "orphan" }, FrameworkId = new FrameworkID { Value = "removed-fw" }, AgentId = new AgentID { Value = agent.AgentId }, Name = "o", State = TaskState.TaskRunning };
        var other = h.Subscribe("other", frameworkId: "removed-fw");
        h.Call(other, new Call { Type = Call.Types.Type.Teardown }).StatusCode.ShouldBe(202);

        var back = h.RegisterAgent(agentId: agent.AgentId, tasks: [teardownVictim]);
        var registered = MasterHarness.Drain(back.Link!).First().Registered;
        registered.KillTaskIds.Select(t => t.Value).ShouldBe(["orphan"]);
        var update = MasterHarness.Updates(sub.Stream!).Single();
        update.TaskId.Value.ShouldBe("t1");
        update.State.ShouldBe(TaskState.TaskLost);
    }

    [Fact]
    public void Disconnected_framework_is_removed_after_its_failover_timeout_and_can_resubscribe_before()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe(failoverTimeout: 60);
        h.Core.SubscriptionClosed(sub.FrameworkId!, sub.Stream!.Id);
        h.Core.Frameworks[sub.FrameworkId!].Connected.ShouldBeFalse();
        h.Advance(TimeSpan.FromSeconds(30));
        var again = h.Subscribe(frameworkId: sub.FrameworkId, failoverTimeout: 60);
        again.FrameworkId.ShouldBe(sub.FrameworkId);
        again.Stream!.Id.ShouldNotBe(sub.Stream.Id);
        h.Core.SubscriptionClosed(again.FrameworkId!, again.Stream.Id);
        h.Advance(TimeSpan.FromSeconds(61));
        h.Core.Frameworks.ContainsKey(sub.FrameworkId!).ShouldBeFalse();
        var call = new Call { Type = Call.Types.Type.Subscribe, FrameworkId = new FrameworkID { Value = sub.FrameworkId }, Subscribe = new Call.Types.Subscribe { FrameworkInfo = new FrameworkInfo { User = "u", Name = "n", Id = new FrameworkID { Value = sub.FrameworkId } } } };
        h.Core.Subscribe(call).Result.StatusCode.ShouldBe(403);
    }

    [Fact]
    public void A_second_subscription_fails_over_the_first_with_an_error_event()
    {
        var h = new MasterHarness();
        var first = h.Subscribe(failoverTimeout: 60);
        MasterHarness.Drain(first.Stream!);
        var second = h.Subscribe(frameworkId: first.FrameworkId, failoverTimeout: 60);
        var events = MasterHarness.Drain(first.Stream!);
        events.Single().Type.ShouldBe(SchedulerEvent.Types.Type.Error);
        events.Single().Error.Message.ShouldBe("Framework failed over");
        first.Stream!.IsClosed.ShouldBeTrue();
        h.Core.Handle(new Call { Type = Call.Types.Type.Revive, FrameworkId = new FrameworkID { Value = first.FrameworkId } }, first.Stream.Id).StatusCode.ShouldBe(400);
        h.Core.Handle(new Call { Type = Call.Types.Type.Revive, FrameworkId = new FrameworkID { Value = first.FrameworkId } }, second.Stream!.Id).StatusCode.ShouldBe(202);
    }

    [Fact]
    public void Calls_from_unknown_or_disconnected_frameworks_are_400_and_403()
    {
        var h = new MasterHarness();
        h.Core.Handle(new Call { Type = Call.Types.Type.Revive, FrameworkId = new FrameworkID { Value = "nope" } }, "x").StatusCode.ShouldBe(400);
        var sub = h.Subscribe(failoverTimeout: 60);
        h.Core.SubscriptionClosed(sub.FrameworkId!, sub.Stream!.Id);
        h.Core.Handle(new Call { Type = Call.Types.Type.Revive, FrameworkId = new FrameworkID { Value = sub.FrameworkId } }, sub.Stream.Id).StatusCode.ShouldBe(403);
    }

    [Fact]
    public void Teardown_kills_tasks_on_agents_and_moves_the_framework_to_completed()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer));
        MasterHarness.Drain(agent.Link!);
        h.Call(sub, new Call { Type = Call.Types.Type.Teardown }).StatusCode.ShouldBe(202);
        MasterHarness.Drain(agent.Link!).Single().Type.ShouldBe(AgentEvent.Types.Type.ShutdownFramework);
        h.Core.Frameworks.ShouldBeEmpty();
        sub.Stream!.IsClosed.ShouldBeTrue();
    }

    [Fact]
    public void Status_updates_over_a_stale_link_are_rejected()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var first = h.RegisterAgent();
        var second = h.RegisterAgent(agentId: first.AgentId);
        h.AgentUpdate(first, sub.FrameworkId!, "t", TaskState.TaskRunning).StatusCode.ShouldBe(400);
        h.AgentUpdate(second, sub.FrameworkId!, "t", TaskState.TaskRunning).StatusCode.ShouldBe(202);
    }

    [Fact]
    public void Metrics_count_agents_resources_and_tasks()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("t1", offer, "cpus:1.5;mem:100"));
        h.AgentUpdate(agent, sub.FrameworkId!, "t1", TaskState.TaskRunning);
        var metrics = h.Core.MetricsSnapshot();
        metrics["master/slaves_active"].ShouldBe(1);
        metrics["master/frameworks_active"].ShouldBe(1);
        metrics["master/tasks_running"].ShouldBe(1);
        metrics["master/cpus_total"].ShouldBe(4);
        metrics["master/cpus_used"].ShouldBe(1.5);
        metrics["master/mem_total"].ShouldBe(4096);
        metrics["master/elected"].ShouldBe(1);
        h.AgentUpdate(agent, sub.FrameworkId!, "t1", TaskState.TaskFinished);
        h.Core.MetricsSnapshot()["master/tasks_finished"].ShouldBe(1);
    }
}
