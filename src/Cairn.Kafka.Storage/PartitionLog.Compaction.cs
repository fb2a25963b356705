using Cairn.Kafka.Storage.Segments;

namespace Cairn.Kafka.Storage;

public sealed partial class PartitionLog
{
    private long _cleanerCheckpoint;

    /// <summary>Offset up to which the log has been compacted (Kafka's cleaner-offset-checkpoint).</summary>
    public long CleanerCheckpoint => Volatile.Read(ref _cleanerCheckpoint);

    /// <summary>Closed (non-active) segments, oldest first: the only ones the cleaner may rewrite.</summary>
    internal LogSegment[] ClosedSegments()
    {
        var segments = Volatile.Read(ref _segments);
        return segments[..^1];
    }

    internal long NowMilliseconds => NowMs;

    /// <summary>
    /// Replaces <paramref name="original"/> with its compacted copy at <paramref name="swapPath"/> (a complete
    /// <c>.log.swap</c> file whose indexes <paramref name="cleaned"/> already holds). The rename is atomic, and a
    /// crash before it is completed by recovery (a <c>.swap</c> file wins). Readers holding regions of the
    /// original keep reading it until file.delete.delay.ms has passed.
    /// </summary>
    /// <returns>False when the original is gone (deleted by retention meanwhile) or the log is closed.</returns>
    internal bool SwapIn(LogSegment original, LogSegment cleaned, string swapPath)
    {
        lock (_writeLock)
        {
            var index = Array.IndexOf(_segments, original);
            if (_closed || index < 0 || index == _segments.Length - 1)
            {
                cleaned.Handle.Dispose();
                File.Delete(swapPath);
                return false;
            }

            File.Move(swapPath, SegmentFiles.Log(DirectoryPath, original.BaseOffset), overwrite: true);
            cleaned.WriteIndexFiles();
            var segments = (LogSegment[])_segments.Clone();
            segments[index] = cleaned;
            Volatile.Write(ref _segments, segments);
            _retired.Add((original, NowMs + FileDeleteDelayMs));
            return true;
        }
    }

    /// <summary>Records how far compaction got (persisted with the checkpoint).</summary>
    internal void SetCleanerCheckpoint(long offset)
    {
        lock (_writeLock)
        {
            if (!_closed)
            {
                Volatile.Write(ref _cleanerCheckpoint, offset);
                WriteCheckpoint(clean: false);
            }
        }
    }
}
