using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Storage;

public sealed partial class LogDirectory
{
    /// <summary>
    /// One maintenance pass over every partition (flush.ms, flush of rolled segments, segment.ms, retention) and
    /// removal of deleted partitions whose delay has passed. Called by the loop; callable directly in tests.
    /// </summary>
    /// <returns>Segments deleted by retention.</returns>
    public int RunMaintenance()
    {
        var deleted = 0;
        foreach (var log in _logs.Values)
        {
            try
            {
                deleted += log.RunMaintenance();
            }
            catch (IOException ex)
            {
                Log.MaintenanceFailed(_logger, log.Topic, log.Partition, ex);
            }
        }

        var now = NowMs;
        lock (_pendingDeletes)
        {
            for (var i = _pendingDeletes.Count - 1; i >= 0; i--)
            {
                var (log, directory, deleteAt) = _pendingDeletes[i];
                if (deleteAt <= now)
                {
                    try
                    {
                        DeleteNow(log, directory);
                        _pendingDeletes.RemoveAt(i);
                    }
                    catch (IOException ex)
                    {
                        Log.MaintenanceFailed(_logger, log.Topic, log.Partition, ex);
                    }
                }
            }
        }

        return deleted;
    }

    /// <summary>One cleaner pass: compacts every compacted partition whose dirty ratio is due.</summary>
    /// <returns>Segments rewritten.</returns>
    public int RunCleaner(CancellationToken cancellationToken = default)
    {
        var cleaned = 0;
        foreach (var log in _logs.Values)
        {
            if (!log.Config.IsCompacted)
            {
                continue;
            }

            try
            {
                cleaned += _cleaner.Clean(log, cancellationToken: cancellationToken).SegmentsCleaned;
            }
            catch (IOException ex)
            {
                Log.MaintenanceFailed(_logger, log.Topic, log.Partition, ex);
            }
        }

        return cleaned;
    }

    /// <summary>Number of deleted partitions whose files are still waiting for file.delete.delay.ms.</summary>
    public int PendingDeletions
    {
        get
        {
            lock (_pendingDeletes)
            {
                return _pendingDeletes.Count;
            }
        }
    }

    private async Task LoopAsync(TimeSpan interval, Action pass, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                pass();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Log.LoopFailed(_logger, ex);
            }
        }
    }
}
