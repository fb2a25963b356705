namespace Cairn.Kafka.Broker.Partitions;

/// <summary>
/// Wakes long-polling fetches when data is appended: waiters take <see cref="NextAppend"/> before
/// reading, so an append between their read and their wait is never missed (no busy loop).
/// </summary>
public sealed class AppendSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next append after this call.</summary>
    public Task NextAppend => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter of the current generation.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
