using System.Diagnostics;

namespace Cairn.Compat.ConfluentKafka;

/// <summary>Runs named checks, printing <c>ok what</c> or <c>FAIL what: detail</c>; every check runs.</summary>
internal sealed class Checks
{
    private readonly List<string> _failures = [];

    public int FailureCount => _failures.Count;

    public string Failures => string.Join(", ", _failures);

    public async Task RunAsync(string what, Func<Task> check)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await check();
            Console.WriteLine($"ok {what} ({watch.Elapsed.TotalSeconds:0.0} s)");
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAIL {what}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" | ")}");
            Console.WriteLine("    " + (e.StackTrace ?? "").ReplaceLineEndings("\n    "));
            _failures.Add(what);
        }
    }

    public Task RunAsync(string what, Action check) => RunAsync(what, () => { check(); return Task.CompletedTask; });

    public static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new CheckFailedException(message);
        }
    }

    /// <summary>Polls until <paramref name="probe"/> returns non-null; no fixed sleeps standing in for conditions.</summary>
    public static async Task<T> WaitUntilAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var watch = Stopwatch.StartNew();
        var delay = 50;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (probe() is { } value)
                {
                    return value;
                }
            }
            catch (Confluent.Kafka.KafkaException e)
            {
                last = e;
            }

            if (watch.Elapsed > limit)
            {
                throw new CheckFailedException($"timed out after {limit.TotalSeconds:0} s waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            }

            await Task.Delay(delay);
            delay = Math.Min(delay * 2, 500);
        }
    }
}

internal sealed class CheckFailedException(string message) : Exception(message);
