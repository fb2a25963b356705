using Cairn.Api.AgentLink;
using Mesos.V1;
using Mesos.V1.Scheduler;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Tests;

public sealed class MasterLaunchTests
{
    [Fact]
    public void Tasks_of_one_accept_share_the_offer_until_it_is_used_up()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent(resources: "cpus:2;mem:256;ports:[31000-31001]");
        MasterHarness.Drain(agent.Link!);
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer,
            MasterHarness.Task("a", offer, "cpus:1;mem:128;ports:[31000-31000]"),
            MasterHarness.Task("b", offer, "cpus:1;mem:128;ports:[31001-31001]"),
            MasterHarness.Task("c", offer, "cpus:0.1;mem:1"));
        var update = MasterHarness.Updates(sub.Stream!).Single();
        update.TaskId.Value.ShouldBe("c");
        update.State.ShouldBe(TaskState.TaskError);
        MasterHarness.Drain(agent.Link!).Single().Launch.Tasks.Select(t => t.TaskId.Value).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void The_unused_part_of_an_accepted_offer_is_offered_again_after_the_filter()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        h.RegisterAgent(resources: "cpus:4;mem:1024");
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("a", offer, "cpus:1;mem:128"));
        h.Advance(TimeSpan.FromSeconds(6));
        var again = h.AllocateAndTakeOffers(sub).Single();
        again.Resources.Single(r => r.Name == "cpus").Scalar.Value.ShouldBe(3);
    }

    [Fact]
    public void Resources_of_a_finished_task_are_offered_again()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent(resources: "cpus:1;mem:128");
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Launch(sub, offer, MasterHarness.Task("a", offer, "cpus:1;mem:128"));
        h.Advance(TimeSpan.FromSeconds(6));
        h.AllocateAndTakeOffers(sub).ShouldBeEmpty();
        h.AgentUpdate(agent, sub.FrameworkId!, "a", TaskState.TaskFinished);
        h.AllocateAndTakeOffers(sub).Single().Resources.Single(r => r.Name == "cpus").Scalar.Value.ShouldBe(1);
    }

    [Fact]
    public void Offers_of_a_disconnected_framework_are_withdrawn_and_go_to_others()
    {
        var h = new MasterHarness();
        var first = h.Subscribe("first", failoverTimeout: 600);
        h.RegisterAgent();
        h.AllocateAndTakeOffers(first).Count.ShouldBe(1);
        var second = h.Subscribe("second");
        h.Core.SubscriptionClosed(first.FrameworkId!, first.Stream!.Id);
        h.Core.Offers.ShouldBeEmpty();
        h.AllocateAndTakeOffers(second).Count.ShouldBe(1);
    }

    [Fact]
    public void Suppress_with_a_role_the_framework_does_not_have_is_400()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        h.Call(sub, new Call { Type = Call.Types.Type.Suppress, Suppress = new Call.Types.Suppress { Roles = { "other" } } }).StatusCode.ShouldBe(400);
    }

    [Fact]
    public void Acknowledge_with_a_malformed_uuid_is_400()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var ack = new Call.Types.Acknowledge { AgentId = new AgentID { Value = "a" }, TaskId = new TaskID { Value = "t" }, Uuid = Google.Protobuf.ByteString.CopyFromUtf8("short") };
        h.Call(sub, new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = ack }).StatusCode.ShouldBe(400);
    }

    [Fact]
    public void Roles_outside_the_masters_roles_flag_are_refused()
    {
        var h = new MasterHarness(o => o.Roles.Add("allowed"));
#pragma warning disable CS0612
        var info = new FrameworkInfo { User = "u", Name = "n", Role = "forbidden" };
#pragma warning restore CS0612
        var result = h.Core.Subscribe(new Call { Type = Call.Types.Type.Subscribe, Subscribe = new Call.Types.Subscribe { FrameworkInfo = info } });
        result.Result.StatusCode.ShouldBe(400);
        h.Subscribe(role: "allowed");
    }

    [Fact]
    public void Framework_ids_survive_in_the_registry_with_their_failover_timeout()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe(failoverTimeout: 1234);
        h.Core.Registry.Frameworks[sub.FrameworkId!].Info.FailoverTimeout.ShouldBe(1234);
        var agent = h.RegisterAgent();
        h.Core.Registry.Agents[agent.AgentId!].Hostname.ShouldBe("agent1");

        var restarted = new MasterHarness(recovered: Registry.RegistryState.Deserialize(h.Core.Registry.Serialize()));
        restarted.Core.Frameworks[sub.FrameworkId!].Recovered.ShouldBeTrue();
        restarted.Core.Agents[agent.AgentId!].Recovered.ShouldBeTrue();
        // Recovered agents have the re-register window, then become unreachable.
        restarted.Advance(TimeSpan.FromMinutes(9));
        restarted.Core.Agents[agent.AgentId!].UnreachableTime.ShouldBeNull();
        restarted.Advance(TimeSpan.FromMinutes(2));
        restarted.Core.Agents[agent.AgentId!].UnreachableTime.ShouldNotBeNull();
    }

    [Fact]
    public void Events_from_the_agent_link_carry_ping_sequence_numbers()
    {
        var h = new MasterHarness(o => o.AgentPingTimeout = TimeSpan.FromSeconds(1));
        var agent = h.RegisterAgent();
        MasterHarness.Drain(agent.Link!);
        h.Advance(TimeSpan.FromSeconds(1));
        h.Advance(TimeSpan.FromSeconds(1));
        MasterHarness.Drain(agent.Link!).Select(e => e.Ping.Sequence).ShouldBe([1UL, 2UL]);
    }

    [Fact]
    public void A_subscribed_framework_is_told_when_its_offers_are_rescinded_because_the_agent_left()
    {
        var h = new MasterHarness();
        var sub = h.Subscribe();
        var agent = h.RegisterAgent();
        var offer = h.AllocateAndTakeOffers(sub).Single();
        h.Core.AgentUnregister(agent.Link!.Id, new AgentCall { Type = AgentCall.Types.Type.Unregister, AgentId = new AgentID { Value = agent.AgentId } }).StatusCode.ShouldBe(202);
        MasterHarness.Drain(sub.Stream!).ShouldContain(e => e.Type == SchedulerEvent.Types.Type.Rescind && e.Rescind.OfferId.Value == offer.Id.Value);
        h.Core.Agents.ShouldBeEmpty();
    }
}
