using System.Threading.Channels;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>
/// Runs a <see cref="GroupCoordinator"/> on one logical thread: requests and timer callbacks are posted to a
/// channel and executed in order by a single reader. Request handlers await the answers.
/// </summary>
public sealed class GroupCoordinatorLoop : IAsyncDisposable
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _runner;

    public GroupCoordinatorLoop(GroupCoordinatorOptions options, TimeProvider time, IGroupLog log, Func<string, int, bool>? partitionExists = null)
    {
        Coordinator = new GroupCoordinator(options, time, log, Post, partitionExists);
        _runner = Task.Run(RunAsync);
    }

    /// <summary>The state machine; touch it only from actions passed to <see cref="InvokeAsync{T}"/>.</summary>
    public GroupCoordinator Coordinator { get; }

    private void Post(Action action) => _work.Writer.TryWrite(action);

    private async Task RunAsync()
    {
        await foreach (var action in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            action();
        }
    }

    /// <summary>Runs <paramref name="call"/> on the coordinator's thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<GroupCoordinator, T> call, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                tcs.TrySetResult(call(Coordinator));
            }
            catch (Exception e)
            {
                tcs.TrySetException(e);
            }
        });
        return tcs.Task.WaitAsync(cancellationToken);
    }

    public Task<JoinGroupOutput> JoinGroupAsync(JoinGroupInput input, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<JoinGroupOutput>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => Coordinator.JoinGroup(input, r => tcs.TrySetResult(r)));
        return tcs.Task.WaitAsync(cancellationToken);
    }

    public Task<SyncGroupOutput> SyncGroupAsync(SyncGroupInput input, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<SyncGroupOutput>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => Coordinator.SyncGroup(input, r => tcs.TrySetResult(r)));
        return tcs.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await _runner.ConfigureAwait(false);
    }
}
