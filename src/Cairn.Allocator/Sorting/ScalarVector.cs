using Cairn.Common;

namespace Cairn.Allocator;

/// <summary>Scalar quantities (thousandths) indexed by <see cref="ScalarNames"/>; grows when a new name appears.</summary>
internal sealed class ScalarVector
{
    private long[] _values = new long[4];

    public ReadOnlySpan<long> Values => _values;

    public long this[int index] => index < _values.Length ? _values[index] : 0;

    public bool IsZero
    {
        get
        {
            foreach (var v in _values)
            {
                if (v != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Adds (<paramref name="sign"/> = 1) or removes (-1) the scalar entries of <paramref name="resources"/>.</summary>
    public void Add(Resources resources, ScalarNames names, int sign)
    {
        foreach (var r in resources.AsSpan())
        {
            if (r.Kind == ResourceKind.Scalar)
            {
                Add(names.IndexOf(r.Name), sign * r.ScalarMillis);
            }
        }
    }

    public void Add(int index, long delta)
    {
        if (index >= _values.Length)
        {
            Array.Resize(ref _values, Math.Max(index + 1, _values.Length * 2));
        }

        _values[index] += delta;
    }

    public void Clear() => Array.Clear(_values);

    /// <summary>DRF share: the largest fraction of any cluster total this vector holds (0 when nothing is held).</summary>
    public double ShareOf(ScalarVector total)
    {
        var share = 0.0;
        var values = _values;
        var totals = total._values;
        var n = Math.Min(values.Length, totals.Length);
        for (var i = 0; i < n; i++)
        {
            if (totals[i] > 0 && values[i] > 0)
            {
                var s = values[i] / (double)totals[i];
                if (s > share)
                {
                    share = s;
                }
            }
        }

        return share;
    }
}
