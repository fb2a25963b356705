using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>
/// Mesos' hierarchical allocator (mesos.md §5.6–5.7): weighted DRF over the role tree, then DRF among the
/// frameworks of a role; static reservations go only to their role and its descendants; refuse filters,
/// suppress/revive per role, MULTI_ROLE frameworks.
/// <para>
/// Pure and single-threaded: no I/O, no locks, no timers. It is owned by the master's actor loop, which calls
/// <see cref="Allocate()"/> every allocation interval and after events, and turns the returned
/// <see cref="Allocation"/>s into offers. Time comes from the injected <see cref="TimeProvider"/>, shuffling
/// from the injected <see cref="Random"/>.
/// </para>
/// <para>
/// Unknown framework or agent ids are ignored by the update methods (the master may race a removal against
/// a decline); adding an id twice is a bug and throws.
/// </para>
/// </summary>
public sealed partial class HierarchicalAllocator
{
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly AllocatorOptions _options;
    private readonly ScalarNames _names = new();
    private readonly ScalarVector _total = new();
    private readonly RoleNode _root = new("", null);
    private readonly Dictionary<string, RoleNode> _roles = new(StringComparer.Ordinal);

    private readonly List<AgentState?> _agents = [];
    private readonly Stack<int> _freeAgentSlots = new();
    private readonly Dictionary<string, int> _agentSlots = new(StringComparer.Ordinal);

    private readonly List<FrameworkState?> _frameworks = [];
    private readonly Stack<int> _freeFrameworkSlots = new();
    private readonly Dictionary<string, int> _frameworkSlots = new(StringComparer.Ordinal);

    private int[] _agentOrder = [];
    private bool _sharesDirty;

    /// <summary>Creates an allocator.</summary>
    /// <param name="time">Clock for filter expiry.</param>
    /// <param name="random">Source for the per-cycle agent shuffle.</param>
    /// <param name="options">Settings; defaults match Mesos.</param>
    public HierarchicalAllocator(TimeProvider time, Random random, AllocatorOptions? options = null)
    {
        _time = time;
        _random = random;
        _options = options ?? new AllocatorOptions();
    }

    /// <summary>Number of agents known.</summary>
    public int AgentCount => _agentSlots.Count;

    /// <summary>Number of frameworks added.</summary>
    public int FrameworkCount => _frameworkSlots.Count;

    /// <summary>Resources of an agent not allocated to anyone (unallocated form), or null for an unknown agent.</summary>
    public Resources? GetAvailable(string agentId) => FindAgent(agentId)?.Available;

    /// <summary>Resources of an agent allocated (offered or used) to a framework, in allocated form.</summary>
    public Resources GetAllocated(string agentId, string frameworkId) =>
        FindAgent(agentId) is { } agent && FindFramework(frameworkId) is { } fw && agent.Allocated.TryGetValue(fw.Slot, out var r) ? r : Resources.Empty;

    /// <summary>The weighted dominant share of a role (including its descendants), as the role sorter sees it.</summary>
    public double GetRoleShare(string role)
    {
        RefreshSharesIfDirty();
        return _roles.TryGetValue(role, out var node) ? node.Share : 0;
    }

    /// <summary>The dominant share of a framework's allocation in one role, as that role's framework sorter sees it.</summary>
    public double GetFrameworkShare(string frameworkId, string role)
    {
        RefreshSharesIfDirty();
        return FindFramework(frameworkId) is { } fw && fw.RoleClients.TryGetValue(role, out var client) ? client.Share : 0;
    }

    /// <summary>Sets a role's weight (default 1.0; <c>--weights</c>, <c>UPDATE_WEIGHTS</c>). A weight of 2 earns twice the fair share.</summary>
    public void SetWeight(string role, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        if (Roles.Validate(role) is { } error)
        {
            throw new ArgumentException(error, nameof(role));
        }

        GetOrCreateRole(role).Weight = weight;
        _sharesDirty = true;
    }

    private AgentState? FindAgent(string agentId) => _agentSlots.TryGetValue(agentId, out var slot) ? _agents[slot] : null;

    private FrameworkState? FindFramework(string frameworkId) => _frameworkSlots.TryGetValue(frameworkId, out var slot) ? _frameworks[slot] : null;

    private static int TakeSlot<T>(List<T?> slots, Stack<int> free)
        where T : class
    {
        if (free.TryPop(out var slot))
        {
            return slot;
        }

        slots.Add(null);
        return slots.Count - 1;
    }
}
