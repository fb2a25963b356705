namespace Cairn.Allocator;

/// <summary>Dense indices for scalar resource names, so shares are computed over small arrays instead of dictionaries.</summary>
internal sealed class ScalarNames
{
    private readonly Dictionary<string, int> _indices = new(StringComparer.Ordinal);

    public int Count => _indices.Count;

    public int IndexOf(string name)
    {
        if (!_indices.TryGetValue(name, out var index))
        {
            index = _indices.Count;
            _indices.Add(name, index);
        }

        return index;
    }
}
