namespace Cairn.Common;

/// <summary>
/// Exponential backoff with jitter: attempt n waits <c>min(max, initial·2ⁿ)</c> scaled by a random factor in
/// <c>[1 − jitter, 1]</c>. Randomness is injected so tests are deterministic. Not thread-safe.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private readonly double _jitter;

    /// <param name="initial">Base delay of the first attempt (&gt; 0).</param>
    /// <param name="max">Cap on the base delay.</param>
    /// <param name="random">Source of jitter.</param>
    /// <param name="jitter">Fraction of the delay that is randomized, 0 (none) to 1 (full jitter).</param>
    public ExponentialBackoff(TimeSpan initial, TimeSpan max, Random random, double jitter = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);
        _initial = initial;
        _max = max;
        _random = random;
        _jitter = jitter;
    }

    /// <summary>Number of delays handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt { get; private set; }

    /// <summary>The un-jittered delay the next call to <see cref="Next"/> is based on.</summary>
    public TimeSpan CurrentBase
    {
        get
        {
            // Doubling stops once past the cap, so the shift never overflows.
            var ticks = _initial.Ticks;
            for (var i = 0; i < Attempt && ticks < _max.Ticks; i++)
            {
                ticks *= 2;
            }

            return TimeSpan.FromTicks(Math.Min(ticks, _max.Ticks));
        }
    }

    /// <summary>The delay before the next attempt.</summary>
    public TimeSpan Next()
    {
        var baseDelay = CurrentBase;
        Attempt++;
        var factor = 1.0 - (_jitter * _random.NextDouble());
        return TimeSpan.FromTicks((long)(baseDelay.Ticks * factor));
    }

    /// <summary>Starts over from the initial delay (after a success).</summary>
    public void Reset() => Attempt = 0;
}
