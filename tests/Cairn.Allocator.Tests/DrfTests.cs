using Cairn.Allocator;
using Cairn.Common;

namespace Cairn.Allocator.Tests;

public class DrfTests
{
    [Fact]
    public void Two_frameworks_with_different_dominant_resources_converge_to_equal_dominant_shares()
    {
        // The DRF paper's example: 9 CPUs and 18 GB; A's tasks are <1 CPU, 4 GB> (memory-heavy), B's <3 CPUs, 1 GB>.
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:9;mem:18432");
        h.AddFramework("A", "cpus:1;mem:4096", "*");
        h.AddFramework("B", "cpus:3;mem:1024", "*");

        h.RunUntilQuiet();

        h.Tasks["A"].ShouldBe(3);
        h.Tasks["B"].ShouldBe(2);
        h.Allocator.GetFrameworkShare("A", "*").ShouldBe(2.0 / 3, 1e-9);
        h.Allocator.GetFrameworkShare("B", "*").ShouldBe(2.0 / 3, 1e-9);
    }

    [Fact]
    public void The_same_convergence_happens_across_many_small_agents_and_roles()
    {
        var h = new AllocatorHarness();
        for (var i = 0; i < 10; i++)
        {
            h.AddAgent($"s{i}", "cpus:9;mem:18432");
        }

        h.AddFramework("A", "cpus:1;mem:4096", "analytics");
        h.AddFramework("B", "cpus:3;mem:1024", "web");

        h.RunUntilQuiet();

        // Ten copies of the paper's cluster: A (memory-bound) and B (cpu-bound) end with equal dominant shares, 30 and 20 tasks.
        var a = h.Allocator.GetRoleShare("analytics");
        var b = h.Allocator.GetRoleShare("web");
        Math.Abs(a - b).ShouldBeLessThan(0.05, $"A={h.Tasks["A"]} B={h.Tasks["B"]}");
        h.Tasks["A"].ShouldBeInRange(28, 30);
        h.Tasks["B"].ShouldBeInRange(19, 20);
    }

    [Fact]
    public void A_role_with_weight_two_gets_twice_the_share()
    {
        var h = new AllocatorHarness();
        h.Allocator.SetWeight("gold", 2);
        h.AddAgent("s1", "cpus:30;mem:30720");
        h.AddFramework("g", "cpus:1;mem:1024", "gold");
        h.AddFramework("s", "cpus:1;mem:1024", "silver");

        h.RunUntilQuiet();

        (h.Tasks["g"] + h.Tasks["s"]).ShouldBe(30);
        Math.Abs(h.Tasks["g"] - (2 * h.Tasks["s"])).ShouldBeLessThanOrEqualTo(2);
        h.Allocator.GetRoleShare("gold").ShouldBe(h.Allocator.GetRoleShare("silver"), 0.05);
    }

    [Fact]
    public void Frameworks_within_a_role_share_it_by_drf_and_roles_share_the_cluster()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:40;mem:40960");
        h.AddFramework("a1", "cpus:1;mem:1024", "eng");
        h.AddFramework("a2", "cpus:1;mem:1024", "eng");
        h.AddFramework("b1", "cpus:1;mem:1024", "ops");

        h.RunUntilQuiet();

        // Role fairness first: eng and ops get 20 each; inside eng the two frameworks split 10/10.
        h.Tasks["b1"].ShouldBe(20);
        h.Tasks["a1"].ShouldBe(10);
        h.Tasks["a2"].ShouldBe(10);
    }

    [Fact]
    public void Hierarchical_roles_share_by_subtree_first()
    {
        var h = new AllocatorHarness();
        h.AddAgent("s1", "cpus:40;mem:40960");
        h.AddFramework("web", "cpus:1;mem:1024", "eng/web");
        h.AddFramework("db", "cpus:1;mem:1024", "eng/db");
        h.AddFramework("ops", "cpus:1;mem:1024", "ops");

        h.RunUntilQuiet();

        // eng (web + db) and ops split the cluster; web and db split eng.
        h.Tasks["ops"].ShouldBe(20);
        h.Tasks["web"].ShouldBe(10);
        h.Tasks["db"].ShouldBe(10);
        h.Allocator.GetRoleShare("eng").ShouldBe(0.5, 1e-9);
    }

    [Fact]
    public void Each_cycle_offers_a_whole_agent_to_the_lowest_share_framework()
    {
        var h = new AllocatorHarness(new AllocatorOptions { ShuffleAgents = false });
        h.AddAgent("s1", "cpus:4;mem:4096;ports:[31000-32000]", "rack:r1");
        h.AddFramework("A", "cpus:1;mem:128", "*");

        var offer = h.Allocator.Allocate().ShouldHaveSingleItem();

        offer.FrameworkId.ShouldBe("A");
        offer.AgentId.ShouldBe("s1");
        offer.Role.ShouldBe("*");
        offer.Hostname.ShouldBe("s1.example");
        offer.Attributes.ToString().ShouldBe("rack:r1");
        offer.Resources.ShouldBe(Resources.Parse("cpus:4;mem:4096;ports:[31000-32000]").AllocateTo("*"));
        h.Allocator.GetAvailable("s1")!.IsEmpty.ShouldBeTrue();
        h.Allocator.Allocate().ShouldBeEmpty();
    }
}
