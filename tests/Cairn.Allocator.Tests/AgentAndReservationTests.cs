using Cairn.Allocator;
using Cairn.Common;

namespace Cairn.Allocator.Tests;

public class AgentAndReservationTests
{
    [Fact]
    public void Reserved_resources_are_offered_only_to_their_role()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:2;mem:2048;cpus(ads):4;mem(ads):4096;ports(logstash):[514-514]");
        h.Allocator.AddFramework("web", FrameworkSpec.ForRoles("web"));

        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        offer.Resources.ShouldBe(Resources.Parse("cpus:2;mem:2048").AllocateTo("web"));
        h.Allocator.Allocate().ShouldBeEmpty();

        h.Allocator.AddFramework("ads", FrameworkSpec.ForRoles("ads"));
        var adsOffer = h.Allocator.Allocate().ShouldHaveSingleItem();
        adsOffer.FrameworkId.ShouldBe("ads");
        adsOffer.Resources.ShouldBe(Resources.Parse("cpus(ads):4;mem(ads):4096").AllocateTo("ads"));
        h.Allocator.GetAvailable("s1").ShouldBe(Resources.Parse("ports(logstash):[514-514]"));
    }

    [Fact]
    public void Reservations_to_a_parent_role_are_offered_to_child_roles()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus(eng):4;mem(eng):4096");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("eng/web"));

        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        offer.Role.ShouldBe("eng/web");
        offer.Resources.ShouldBe(Resources.Parse("cpus(eng):4;mem(eng):4096").AllocateTo("eng/web"));
    }

    [Fact]
    public void A_multi_role_framework_gets_one_offer_per_role()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus(a):1;mem(a):512;cpus(b):2;mem(b):512");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("a", "b"));

        var offers = h.Allocator.Allocate();

        offers.Count.ShouldBe(2);
        offers.Single(o => o.Role == "a").Resources.ShouldBe(Resources.Parse("cpus(a):1;mem(a):512").AllocateTo("a"));
        offers.Single(o => o.Role == "b").Resources.ShouldBe(Resources.Parse("cpus(b):2;mem(b):512").AllocateTo("b"));
        h.Allocator.GetAllocated("s1", "F").ShouldBe(offers[0].Resources + offers[1].Resources);
    }

    [Fact]
    public void Updating_framework_roles_moves_offers_to_the_new_role()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:1;mem:512");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("a"));
        h.Allocator.UpdateFramework("F", FrameworkSpec.ForRoles("b"));

        h.Allocator.Allocate().ShouldHaveSingleItem().Role.ShouldBe("b");
    }

    [Fact]
    public void Removing_an_agent_drops_its_allocations_from_the_shares()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:4;mem:4096");
        h.AddAgent("s2", "cpus:4;mem:4096");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("r"));
        h.Allocator.Allocate().Count.ShouldBe(2);
        h.Allocator.GetRoleShare("r").ShouldBe(1.0);

        h.Allocator.RemoveAgent("s1");

        h.Allocator.AgentCount.ShouldBe(1);
        h.Allocator.GetRoleShare("r").ShouldBe(1.0);
        h.Allocator.GetAllocated("s1", "F").IsEmpty.ShouldBeTrue();
        h.AddAgent("s3", "cpus:4;mem:4096");
        h.Allocator.GetRoleShare("r").ShouldBe(0.5);
        h.Allocator.Allocate().ShouldHaveSingleItem().AgentId.ShouldBe("s3");
    }

    [Fact]
    public void A_deactivated_agent_is_not_offered_until_reactivated()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:4;mem:4096");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("*"));
        h.Allocator.DeactivateAgent("s1");
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Allocator.ActivateAgent("s1");
        h.Allocator.Allocate().ShouldHaveSingleItem();
    }

    [Fact]
    public void Used_resources_reported_on_agent_registration_are_not_offered_and_count_for_the_framework()
    {
        var h = new AllocatorHarness();
        var used = new Dictionary<string, Resources> { ["F"] = Resources.Parse("cpus:3;mem:3072").AllocateTo("r") };
        h.Allocator.AddAgent("s1", new AgentSpec("h", Resources.Parse("cpus:4;mem:4096"), Attributes.Empty), used);
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("r"));
        h.Allocator.AddFramework("G", FrameworkSpec.ForRoles("q"));

        // G (share 0) is ahead of F (share 0.75) and gets the free remainder.
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        offer.FrameworkId.ShouldBe("G");
        offer.Resources.ShouldBe(Resources.Parse("cpus:1;mem:1024").AllocateTo("q"));
        h.Allocator.GetFrameworkShare("F", "r").ShouldBe(0.75);
    }

    [Fact]
    public void Updating_an_agent_changes_what_is_free_and_clears_its_filters()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:4;mem:4096");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("*"));
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources("F", "s1", offer.Resources, TimeSpan.FromHours(1));

        h.Allocator.UpdateAgent("s1", new AgentSpec("s1", Resources.Parse("cpus:2;mem:2048"), Attributes.Empty));

        h.Allocator.Allocate().ShouldHaveSingleItem().Resources.ShouldBe(Resources.Parse("cpus:2;mem:2048").AllocateTo("*"));
    }

    [Fact]
    public void Gpu_agents_are_offered_only_to_gpu_capable_frameworks_and_tiny_remainders_are_not_offered()
    {
        var h = new AllocatorHarness();
        h.AddAgent("gpu", "cpus:4;mem:4096;gpus:1");
        h.AddAgent("tiny", "cpus:0.001;mem:16");
        h.Allocator.AddFramework("plain", FrameworkSpec.ForRoles("*"));
        h.Allocator.Allocate().ShouldBeEmpty();

        h.Allocator.AddFramework("ml", new FrameworkSpec(["*"], [], ["GPU_RESOURCES"]));
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        offer.FrameworkId.ShouldBe("ml");
        offer.Resources.Gpus.ShouldBe(1);
    }
}
