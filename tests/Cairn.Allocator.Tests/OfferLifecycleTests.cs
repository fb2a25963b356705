using Cairn.Allocator;
using Cairn.Common;

namespace Cairn.Allocator.Tests;

public class OfferLifecycleTests
{
    private static AllocatorHarness OneAgentOneFramework(string roles = "*")
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:4;mem:4096");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles(roles.Split(',')));
        return h;
    }

    [Fact]
    public void A_declined_offer_is_not_reoffered_until_its_filter_expires()
    {
        var h = OneAgentOneFramework();
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources("F", "s1", offer.Resources, TimeSpan.FromSeconds(5));

        h.Allocator.Allocate().ShouldBeEmpty();
        h.Clock.Advance(TimeSpan.FromSeconds(4.9));
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Clock.Advance(TimeSpan.FromSeconds(0.1));
        h.Allocator.Allocate().ShouldHaveSingleItem().Resources.ShouldBe(offer.Resources);
    }

    [Fact]
    public void A_decline_without_filter_is_reoffered_next_cycle_and_short_filters_last_one_interval()
    {
        var h = OneAgentOneFramework();
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources("F", "s1", offer.Resources, refuseFor: null);
        offer = h.Allocator.Allocate().ShouldHaveSingleItem();

        h.Allocator.RecoverResources("F", "s1", offer.Resources, TimeSpan.FromMilliseconds(10));
        h.Clock.Advance(TimeSpan.FromMilliseconds(500));
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Clock.Advance(TimeSpan.FromMilliseconds(500));
        h.Allocator.Allocate().ShouldHaveSingleItem();
    }

    [Fact]
    public void A_filter_is_lifted_as_soon_as_more_resources_than_refused_are_free()
    {
        var h = OneAgentOneFramework();
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        var task = Resources.Parse("cpus:1;mem:1024").AllocateTo("*");
        h.Allocator.RecoverResources("F", "s1", offer.Resources - task, TimeSpan.FromHours(1));
        h.Allocator.Allocate().ShouldBeEmpty();

        // The task finishes: the free set (4 cpus) is larger than the refused one (3 cpus).
        h.Allocator.RecoverResources("F", "s1", task, refuseFor: null);
        h.Allocator.Allocate().ShouldHaveSingleItem().Resources.Cpus.ShouldBe(4);
    }

    [Fact]
    public void Filters_of_one_framework_do_not_stop_offers_to_another()
    {
        var h = OneAgentOneFramework();
        h.Allocator.AddFramework("G", FrameworkSpec.ForRoles("*"));
        var first = h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources(first.FrameworkId, "s1", first.Resources, TimeSpan.FromMinutes(1));

        h.Allocator.Allocate().ShouldHaveSingleItem().FrameworkId.ShouldNotBe(first.FrameworkId);
    }

    [Fact]
    public void Suppress_stops_offers_and_revive_restores_them_and_clears_filters()
    {
        var h = OneAgentOneFramework();
        h.Allocator.Suppress("F");
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Allocator.Revive("F");
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();

        h.Allocator.RecoverResources("F", "s1", offer.Resources, TimeSpan.FromHours(1));
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Allocator.Revive("F");
        h.Allocator.Allocate().ShouldHaveSingleItem();
    }

    [Fact]
    public void Suppress_and_revive_work_per_role()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:1;mem:1024;cpus(a):1;mem(a):1024;cpus(b):1;mem(b):1024");
        h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("a", "b"));
        h.Allocator.Suppress("F", ["a"]);

        var offers = h.Allocator.Allocate();
        offers.ShouldHaveSingleItem().Role.ShouldBe("b");
        offers[0].Resources.ShouldBe(Resources.Parse("cpus:1;mem:1024;cpus(b):1;mem(b):1024").AllocateTo("b"));

        h.Allocator.Revive("F", ["a"]);
        var again = h.Allocator.Allocate().ShouldHaveSingleItem();
        again.Role.ShouldBe("a");
        again.Resources.ShouldBe(Resources.Parse("cpus(a):1;mem(a):1024").AllocateTo("a"));
    }

    [Fact]
    public void A_deactivated_framework_gets_no_offers_until_activated()
    {
        var h = OneAgentOneFramework();
        h.Allocator.DeactivateFramework("F");
        h.Allocator.Allocate().ShouldBeEmpty();
        h.Allocator.ActivateFramework("F");
        h.Allocator.Allocate().ShouldHaveSingleItem();
    }

    [Fact]
    public void Removing_a_framework_returns_its_resources_to_others()
    {
        var h = OneAgentOneFramework();
        h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.AddFramework("G", FrameworkSpec.ForRoles("*"));
        h.Allocator.Allocate().ShouldBeEmpty();

        h.Allocator.RemoveFramework("F");
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        offer.FrameworkId.ShouldBe("G");
        offer.Resources.Cpus.ShouldBe(4);
        h.Allocator.FrameworkCount.ShouldBe(1);
    }

    [Fact]
    public void Unknown_ids_are_ignored_and_double_adds_throw()
    {
        var h = OneAgentOneFramework();
        h.Allocator.RecoverResources("nope", "s1", Resources.Parse("cpus:1"), TimeSpan.FromSeconds(1));
        h.Allocator.RecoverResources("F", "nope", Resources.Parse("cpus:1"), null);
        h.Allocator.Suppress("nope");
        h.Allocator.RemoveAgent("nope");
        h.Allocator.RemoveFramework("nope");
        Should.Throw<InvalidOperationException>(() => h.Allocator.AddFramework("F", FrameworkSpec.ForRoles("*")));
        Should.Throw<InvalidOperationException>(() => h.AddAgent("s1", "cpus:1"));
        Should.Throw<ArgumentException>(() => h.Allocator.AddFramework("X", FrameworkSpec.ForRoles("a//b")));
        h.Allocator.Allocate().ShouldHaveSingleItem();
    }

    [Fact]
    public void Recovering_more_than_held_releases_only_what_is_held()
    {
        var h = OneAgentOneFramework();
        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources("F", "s1", offer.Resources + offer.Resources, null);

        h.Allocator.GetAvailable("s1").ShouldBe(Resources.Parse("cpus:4;mem:4096"));
    }

    [Fact]
    public void Resources_without_allocation_info_are_taken_as_allocated_to_the_frameworks_only_role()
    {
        var h = OneAgentOneFramework("web");
        h.Allocator.Allocate().ShouldHaveSingleItem();
        h.Allocator.RecoverResources("F", "s1", Resources.Parse("cpus:1;mem:1024"), refuseFor: null);

        h.Allocator.GetAvailable("s1").ShouldBe(Resources.Parse("cpus:1;mem:1024"));
        h.Allocator.GetAllocated("s1", "F").ShouldBe(Resources.Parse("cpus:3;mem:3072").AllocateTo("web"));
    }
}
