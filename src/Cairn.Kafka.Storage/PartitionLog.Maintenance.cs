using Cairn.Kafka.Storage.Segments;

namespace Cairn.Kafka.Storage;

public sealed partial class PartitionLog
{
    /// <summary>How long a replaced or deleted segment's file handle stays open for readers (file.delete.delay.ms).</summary>
    internal long FileDeleteDelayMs { get; set; } = 60_000;

    /// <summary>fsyncs all segments and advances the recovery point to the log end offset.</summary>
    public void Flush()
    {
        lock (_writeLock)
        {
            if (!_closed)
            {
                FlushLocked();
            }
        }
    }

    /// <summary>
    /// Background work for one pass of the maintenance loop: flush.ms, flushing segments rolled since the last
    /// pass (like Kafka's flush on roll), segment.ms roll, retention, and closing handles of retired segments.
    /// </summary>
    /// <returns>Number of segments deleted by retention.</returns>
    public int RunMaintenance()
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return 0;
            }

            var now = NowMs;
            var config = Config;
            var active = _segments[^1];
            if (!active.IsEmpty && IsRollDueByTime(active, config, now))
            {
                Roll(_logEndOffset, now);
            }

            if (_firstUnflushedAppendMs >= 0 && now - _firstUnflushedAppendMs >= config.FlushMs)
            {
                FlushLocked();
            }
            else if (RecoveryPoint < _segments[^1].BaseOffset)
            {
                FlushRolledLocked();
            }

            var deleted = config.IsDeleteRetention ? DeleteRetainedSegmentsLocked(now) : 0;
            DisposeRetiredLocked(now);
            return deleted;
        }
    }

    private void FlushLocked()
    {
        foreach (var segment in _segments)
        {
            if (segment.NextOffset > RecoveryPoint)
            {
                segment.Flush();
            }
        }

        RecoveryPoint = _logEndOffset;
        _unflushedMessages = 0;
        _firstUnflushedAppendMs = -1;
        WriteCheckpoint(clean: false);
    }

    private void FlushRolledLocked()
    {
        var segments = _segments;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i].NextOffset > RecoveryPoint)
            {
                segments[i].Flush();
            }
        }

        RecoveryPoint = segments[^1].BaseOffset;
        WriteCheckpoint(clean: false);
    }

    /// <summary>
    /// Deletes whole closed segments, oldest first, whose largest timestamp is older than retention.ms, or while
    /// the partition is larger than retention.bytes. The active segment is rolled first when it is expired
    /// by time too, so an idle topic still empties (like Kafka).
    /// </summary>
    private int DeleteRetainedSegmentsLocked(long now)
    {
        var config = Config;
        var active = _segments[^1];
        if (config.RetentionMs >= 0 && !active.IsEmpty &&
            active.MaxTimestamp >= 0 && now - active.MaxTimestamp > config.RetentionMs)
        {
            Roll(_logEndOffset, now);
        }

        var segments = _segments;
        var total = 0L;
        foreach (var segment in segments)
        {
            total += segment.Size;
        }

        var deletable = 0;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            var expired = config.RetentionMs >= 0 && now - EffectiveTimestamp(segment) > config.RetentionMs;
            var oversized = config.RetentionBytes >= 0 && total - segment.Size >= config.RetentionBytes;
            if (!expired && !oversized)
            {
                break;
            }

            total -= segment.Size;
            deletable++;
        }

        if (deletable > 0)
        {
            RetireOldestLocked(deletable, now);
        }

        return deletable;
    }

    /// <summary>A segment's largest timestamp; its file time when it has none (Kafka's fallback).</summary>
    private static long EffectiveTimestamp(LogSegment segment) =>
        segment.MaxTimestamp >= 0 ? segment.MaxTimestamp : new DateTimeOffset(File.GetLastWriteTimeUtc(segment.LogPath)).ToUnixTimeMilliseconds();

    /// <summary>Removes the <paramref name="count"/> oldest segments and advances the log start offset.</summary>
    private void RetireOldestLocked(int count, long now)
    {
        var segments = _segments;
        var remaining = segments[count..];
        var newStart = Math.Max(_logStartOffset, remaining[0].BaseOffset);
        Volatile.Write(ref _logStartOffset, newStart);
        Volatile.Write(ref _highWatermark, Math.Max(_highWatermark, newStart));
        Volatile.Write(ref _segments, remaining);
        WriteCheckpoint(clean: false);
        for (var i = 0; i < count; i++)
        {
            RetireLocked(segments[i], now);
            Log.SegmentDeleted(_logger, Topic, Partition, segments[i].BaseOffset);
        }

        StorageMetrics.SegmentsDeleted(count);
    }

    /// <summary>
    /// Unlinks a segment's files now and closes its handle after file.delete.delay.ms, so fetches that hold a
    /// region of it still complete (an unlinked file stays readable through an open handle).
    /// </summary>
    private void RetireLocked(LogSegment segment, long now)
    {
        File.Delete(SegmentFiles.Log(segment.Directory, segment.BaseOffset));
        File.Delete(SegmentFiles.Index(segment.Directory, segment.BaseOffset));
        File.Delete(SegmentFiles.TimeIndex(segment.Directory, segment.BaseOffset));
        _retired.Add((segment, now + FileDeleteDelayMs));
    }

    private void DisposeRetiredLocked(long now)
    {
        for (var i = _retired.Count - 1; i >= 0; i--)
        {
            if (_retired[i].DisposeAtMs <= now)
            {
                _retired[i].Segment.Handle.Dispose();
                _retired.RemoveAt(i);
            }
        }
    }
}
