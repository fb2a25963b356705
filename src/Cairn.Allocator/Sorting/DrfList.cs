namespace Cairn.Allocator;

/// <summary>
/// A list kept sorted by <see cref="DrfClient.Compare"/>. After an allocation only one client's share changes,
/// so <see cref="Update"/> moves that client by its displacement instead of re-sorting the whole list.
/// </summary>
internal sealed class DrfList<T>
    where T : DrfClient
{
    private readonly List<T> _items = [];

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    public bool Contains(T item) => item.Index >= 0 && item.Index < _items.Count && ReferenceEquals(_items[item.Index], item);

    public void Add(T item)
    {
        if (Contains(item))
        {
            return;
        }

        var position = 0;
        while (position < _items.Count && DrfClient.Compare(_items[position], item) <= 0)
        {
            position++;
        }

        _items.Insert(position, item);
        Renumber(position, _items.Count - 1);
    }

    public void Remove(T item)
    {
        if (!Contains(item))
        {
            return;
        }

        var position = item.Index;
        _items.RemoveAt(position);
        item.Index = -1;
        Renumber(position, _items.Count - 1);
    }

    /// <summary>Moves <paramref name="item"/> to its place after its share or count changed.</summary>
    public void Update(T item)
    {
        if (!Contains(item))
        {
            return;
        }

        var i = item.Index;
        var start = i;
        while (i + 1 < _items.Count && DrfClient.Compare(_items[i + 1], item) < 0)
        {
            _items[i] = _items[i + 1];
            i++;
        }

        while (i > 0 && DrfClient.Compare(_items[i - 1], item) > 0)
        {
            _items[i] = _items[i - 1];
            i--;
        }

        _items[i] = item;
        Renumber(Math.Min(start, i), Math.Max(start, i));
    }

    /// <summary>Full re-sort, after every share changed (cluster totals moved).</summary>
    public void Resort()
    {
        _items.Sort(DrfClient.Compare);
        Renumber(0, _items.Count - 1);
    }

    private void Renumber(int from, int to)
    {
        for (var k = from; k <= to; k++)
        {
            _items[k].Index = k;
        }
    }
}
