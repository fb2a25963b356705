using Cairn.Common;

namespace Cairn.Bench.Allocator;

/// <summary>
/// The reference: textbook DRF written the obvious way, as Mesos did before 1.7 (MESOS-9249): for every agent,
/// recompute every framework's dominant share from name-keyed dictionaries and fully re-sort (LINQ) before
/// offering the agent to the first framework. Same outcome as the hierarchical allocator for one role.
/// </summary>
internal sealed class NaiveDrfAllocator
{
    private readonly Dictionary<string, double> _total = [];
    private readonly Dictionary<string, Dictionary<string, double>> _allocated = [];
    private readonly Dictionary<string, Resources> _available = [];
    private readonly List<string> _agents = [];

    public void AddFramework(string id) => _allocated[id] = [];

    public void AddAgent(string id, Resources total)
    {
        _agents.Add(id);
        _available[id] = total;
        foreach (var r in total)
        {
            if (r.Kind == ResourceKind.Scalar)
            {
                _total[r.Name] = _total.GetValueOrDefault(r.Name) + r.Scalar;
            }
        }
    }

    public List<(string Framework, string Agent, Resources Resources)> Allocate()
    {
        var offers = new List<(string, string, Resources)>();
        foreach (var agent in _agents)
        {
            var available = _available[agent];
            if (available.IsEmpty)
            {
                continue;
            }

            var order = _allocated.Keys.OrderBy(Share).ThenBy(f => f, StringComparer.Ordinal).ToList();
            var framework = order[0];
            offers.Add((framework, agent, available));
            Track(framework, available, +1);
            _available[agent] = Resources.Empty;
        }

        return offers;
    }

    public void Recover(string framework, string agent, Resources resources)
    {
        Track(framework, resources, -1);
        _available[agent] = _available[agent] + resources;
    }

    private double Share(string framework) =>
        _allocated[framework].Select(kv => _total.TryGetValue(kv.Key, out var t) && t > 0 ? kv.Value / t : 0).DefaultIfEmpty(0).Max();

    private void Track(string framework, Resources resources, int sign)
    {
        var allocation = _allocated[framework];
        foreach (var r in resources)
        {
            if (r.Kind == ResourceKind.Scalar)
            {
                allocation[r.Name] = allocation.GetValueOrDefault(r.Name) + (sign * r.Scalar);
            }
        }
    }
}
