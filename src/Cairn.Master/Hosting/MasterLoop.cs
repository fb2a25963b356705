using System.Threading.Channels;
using Cairn.Master.Core;
using Microsoft.Extensions.Logging;

namespace Cairn.Master.Hosting;

/// <summary>
/// The master's actor loop: one reader applies work items to <see cref="MasterCore"/> in order,
/// so the domain state needs no locks. HTTP handlers post work and await the answer; a timer
/// posts <see cref="MasterCore.Tick"/>.
/// </summary>
public sealed partial class MasterLoop : IAsyncDisposable
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MasterCore _core;
    private readonly ILogger _logger;
    private readonly ITimer _tick;
    private readonly Task _loop;

    public MasterLoop(MasterCore core, TimeProvider time, TimeSpan tickInterval, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(time);
        _core = core;
        _logger = logger;
        _loop = Task.Run(RunAsync);
        _tick = time.CreateTimer(_ => Post(static c => c.Tick()), null, tickInterval, tickInterval);
    }

    /// <summary>Items waiting in the loop's queue (metric master/event_queue_dispatches).</summary>
    public int QueueLength => _work.Reader.CanCount ? _work.Reader.Count : 0;

    /// <summary>Runs <paramref name="action"/> on the loop without waiting for it.</summary>
    public void Post(Action<MasterCore> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _work.Writer.TryWrite(() => action(_core));
    }

    /// <summary>Runs <paramref name="function"/> on the loop and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<MasterCore, T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var core = _core;
        if (!_work.Writer.TryWrite(() =>
            {
                try
                {
                    done.TrySetResult(function(core));
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                    throw;
                }
            }))
        {
            done.TrySetException(new ObjectDisposedException(nameof(MasterLoop)));
        }

        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var item in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                item();
            }
#pragma warning disable CA1031 // A bug in one handler must not stop the master; it is logged loudly.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWorkItemFailed(_logger, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tick.DisposeAsync().ConfigureAwait(false);
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A master work item failed (bug)")]
    private static partial void LogWorkItemFailed(ILogger logger, Exception exception);
}
