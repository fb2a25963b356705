using Cairn.Common;

namespace Cairn.Common.Tests;

public class ExponentialBackoffTests
{
    [Fact]
    public void Doubles_up_to_the_cap_within_the_jitter_band_and_resets()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(7), jitter: 0.5);
        double[] bases = [1, 2, 4, 8, 10, 10];
        foreach (var b in bases)
        {
            backoff.CurrentBase.ShouldBe(TimeSpan.FromSeconds(b));
            var delay = backoff.Next().TotalSeconds;
            delay.ShouldBeInRange(b * 0.5, b);
        }

        backoff.Reset();
        backoff.CurrentBase.ShouldBe(TimeSpan.FromSeconds(1));
        new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(7), jitter: 0).Next().ShouldBe(TimeSpan.FromSeconds(1));
    }
}
