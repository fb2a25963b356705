using Microsoft.Extensions.Logging;

namespace Cairn.Master.Registry;

/// <summary>
/// Makes registry versions durable in batches: callers ask for "version N is on disk", the writer
/// takes one snapshot covering every change so far, writes it, and answers everyone waiting for a
/// version up to the one written. Thousands of registrations cost a handful of file writes.
/// </summary>
public sealed partial class RegistryWriter : IAsyncDisposable
{
    private readonly RegistryFile? _file;
    private readonly Func<CancellationToken, Task<(long Version, byte[] Content)>> _snapshot;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new();
    private readonly List<(long Version, TaskCompletionSource Done)> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _durable;
    private long _requested;

    /// <param name="file">Null keeps the registry in memory (every version is "durable" at once).</param>
    /// <param name="initialVersion">The version already on disk.</param>
    /// <param name="snapshot">Takes a snapshot on the master's loop.</param>
    /// <param name="logger">Where write failures go.</param>
    public RegistryWriter(RegistryFile? file, long initialVersion, Func<CancellationToken, Task<(long Version, byte[] Content)>> snapshot, ILogger logger)
    {
        _file = file;
        _snapshot = snapshot;
        _logger = logger;
        _durable = initialVersion;
    }

    public long Writes { get; private set; }

    public double LastWriteMs { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes once <paramref name="version"/> (or a later one) is on disk.</summary>
    public Task WaitDurableAsync(long version)
    {
        if (_file is null)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (version <= _durable)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((version, done));
            if (version > _requested)
            {
                _requested = version;
                _wake.Release();
            }

            return done.Task;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                while (_wake.CurrentCount > 0)
                {
                    await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                var (version, content) = await _snapshot(cancellationToken).ConfigureAwait(false);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await _file!.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                LastWriteMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Writes++;
                Complete(version, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (IOException e)
            {
                LogWriteFailed(_logger, e);
                Complete(long.MaxValue, e);
            }
            catch (UnauthorizedAccessException e)
            {
                LogWriteFailed(_logger, e);
                Complete(long.MaxValue, e);
            }
        }

        Complete(long.MaxValue, new OperationCanceledException("The master is stopping."));
    }

    private void Complete(long version, Exception? error)
    {
        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            if (error is null)
            {
                _durable = Math.Max(_durable, version);
            }
            else
            {
                // Later requests must wake the loop again.
                _requested = _durable;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Version <= version)
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in done)
        {
            if (error is null)
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(error);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the registry failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
