using Cairn.Allocator;
using Cairn.Common;
using Cairn.Testing;

namespace Cairn.Allocator.Tests;

/// <summary>
/// Drives an allocator like a master with well-behaved schedulers: each framework launches one task of a fixed
/// size per offer when it fits and returns the rest; tasks never finish unless told.
/// </summary>
internal sealed class AllocatorHarness
{
    public AllocatorHarness(AllocatorOptions? options = null)
    {
        Allocator = new HierarchicalAllocator(Clock, new Random(1), options ?? new AllocatorOptions());
    }

    public FakeTimeProvider Clock { get; } = new();

    public HierarchicalAllocator Allocator { get; }

    public Dictionary<string, Resources> TaskSize { get; } = [];

    public Dictionary<string, int> Tasks { get; } = [];

    public void AddAgent(string id, string resources, string attributes = "") =>
        Allocator.AddAgent(id, new AgentSpec(id + ".example", Resources.Parse(resources), Attributes.Parse(attributes)));

    public void AddFramework(string id, string taskResources, params string[] roles)
    {
        Allocator.AddFramework(id, FrameworkSpec.ForRoles(roles));
        TaskSize[id] = Resources.Parse(taskResources);
        Tasks[id] = 0;
    }

    /// <summary>Runs cycles one allocation interval apart until <paramref name="quietCycles"/> cycles in a row launch nothing.</summary>
    public void RunUntilQuiet(int quietCycles = 10, int maxCycles = 10_000)
    {
        var quiet = 0;
        for (var cycle = 0; cycle < maxCycles && quiet < quietCycles; cycle++)
        {
            var launched = false;
            foreach (var offer in Allocator.Allocate())
            {
                var task = TaskSize[offer.FrameworkId].AllocateTo(offer.Role);
                if (offer.Resources.Contains(task))
                {
                    Tasks[offer.FrameworkId]++;
                    launched = true;
                    Allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources - task, refuseFor: null);
                }
                else
                {
                    Allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources, TimeSpan.FromSeconds(5));
                }
            }

            quiet = launched ? 0 : quiet + 1;
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
