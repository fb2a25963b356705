using System.Globalization;
using Cairn.Kafka.Storage.Configuration;
using Cairn.Kafka.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Storage;

public sealed partial class PartitionLog
{
    private const string CheckpointFile = "partition.checkpoint";

    /// <summary>
    /// Opens (creating if needed) the log in <paramref name="directory"/> and recovers it: finishes or discards
    /// interrupted compaction swaps, loads indexes of segments known to be on disk, and for everything after the
    /// recovery point (or everything, after an unclean shutdown without a checkpoint) re-validates every batch
    /// CRC, rebuilds the indexes and truncates a torn or corrupt tail.
    /// </summary>
    public static PartitionLog Open(
        string directory,
        string topic,
        int partition,
        LogConfig config,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(directory);
        var log = new PartitionLog(directory, topic, partition, config, time ?? TimeProvider.System, logger ?? DefaultLogger);
        log.Recover();
        return log;
    }

    private void Recover()
    {
        CompleteInterruptedSwaps();
        var (recoveryPoint, logStartOffset, clean) = ReadCheckpoint();
        var bases = new List<long>();
        foreach (var path in Directory.EnumerateFiles(DirectoryPath, "*" + SegmentFiles.LogSuffix))
        {
            if (SegmentFiles.TryParseBaseOffset(Path.GetFileName(path), out var baseOffset))
            {
                bases.Add(baseOffset);
            }
        }

        bases.Sort();

        // Segments from the one holding the recovery point onwards may hold unflushed data.
        var firstUnflushed = 0;
        for (var i = 0; i < bases.Count; i++)
        {
            if (bases[i] <= recoveryPoint)
            {
                firstUnflushed = i;
            }
        }

        var now = NowMs;
        var config = Config;
        var segments = new List<LogSegment>();
        long next = 0;
        var damaged = false;
        for (var i = 0; i < bases.Count; i++)
        {
            var segment = LogSegment.Open(SegmentFiles.Log(DirectoryPath, bases[i]), bases[i], config.IndexIntervalBytes, config.MaxIndexEntries, now);
            if (damaged || (segments.Count > 0 && bases[i] < next))
            {
                // Everything after a truncation point (or overlapping the previous segment) is not trustworthy.
                DeleteSegmentFiles(segment);
                damaged = true;
                continue;
            }

            var mustScan = !clean && i >= firstUnflushed;
            if (mustScan || !segment.TryLoadIndexes())
            {
                var cut = segment.Recover(next);
                if (cut > 0)
                {
                    Log.TruncatedTail(_logger, Topic, Partition, segment.BaseOffset, segment.Size, cut);
                    damaged = true;
                }

                segment.WriteIndexFiles();
            }

            segments.Add(segment);
            next = segment.NextOffset;
        }

        if (segments.Count == 0)
        {
            segments.Add(LogSegment.Create(DirectoryPath, Math.Max(0, logStartOffset), config.IndexIntervalBytes, config.MaxIndexEntries, now));
            next = segments[0].BaseOffset;
        }

        _segments = [.. segments];
        _logEndOffset = segments[^1].NextOffset;
        _logStartOffset = Math.Clamp(logStartOffset, segments[0].BaseOffset, _logEndOffset);
        _highWatermark = _logEndOffset;
        RecoveryPoint = Math.Min(recoveryPoint, _logEndOffset);

        // A later crash must not be mistaken for a clean shutdown.
        WriteCheckpoint(clean: false);
        Log.Opened(_logger, Topic, Partition, _segments.Length, _logStartOffset, _logEndOffset, clean);
    }

    /// <summary>Kafka's rules for leftovers of an interrupted compaction: drop .cleaned, complete .swap.</summary>
    private void CompleteInterruptedSwaps()
    {
        foreach (var path in Directory.EnumerateFiles(DirectoryPath))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFiles.CleanedSuffix, StringComparison.Ordinal) ||
                name.EndsWith(SegmentFiles.DeletedSuffix, StringComparison.Ordinal) ||
                name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        foreach (var path in Directory.EnumerateFiles(DirectoryPath, "*" + SegmentFiles.LogSuffix + SegmentFiles.SwapSuffix))
        {
            if (SegmentFiles.TryParseBaseOffset(Path.GetFileName(path), out var baseOffset))
            {
                File.Move(path, SegmentFiles.Log(DirectoryPath, baseOffset), overwrite: true);
                File.Delete(SegmentFiles.Index(DirectoryPath, baseOffset));
                File.Delete(SegmentFiles.TimeIndex(DirectoryPath, baseOffset));
            }
        }
    }

    private (long RecoveryPoint, long LogStartOffset, bool Clean) ReadCheckpoint()
    {
        var path = Path.Combine(DirectoryPath, CheckpointFile);
        long recoveryPoint = 0, logStartOffset = 0;
        var clean = false;
        if (!File.Exists(path))
        {
            return (0, 0, false);
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var value = line[(eq + 1)..];
            switch (line[..eq])
            {
                case "recovery.point":
                    _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out recoveryPoint);
                    break;
                case "log.start.offset":
                    _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out logStartOffset);
                    break;
                case "cleaner.offset":
                    _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _cleanerCheckpoint);
                    break;
                case "clean.shutdown":
                    clean = value == "true";
                    break;
            }
        }

        return (recoveryPoint, logStartOffset, clean);
    }

    /// <summary>Writes recovery point, log start offset and the clean flag atomically (temp file + rename).</summary>
    private void WriteCheckpoint(bool clean)
    {
        var path = Path.Combine(DirectoryPath, CheckpointFile);
        var temp = path + ".tmp";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"recovery.point={RecoveryPoint}\nlog.start.offset={_logStartOffset}\ncleaner.offset={_cleanerCheckpoint}\nclean.shutdown={(clean ? "true" : "false")}\n");
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(text), 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void DeleteSegmentFiles(LogSegment segment)
    {
        segment.Handle.Dispose();
        File.Delete(SegmentFiles.Log(segment.Directory, segment.BaseOffset));
        File.Delete(SegmentFiles.Index(segment.Directory, segment.BaseOffset));
        File.Delete(SegmentFiles.TimeIndex(segment.Directory, segment.BaseOffset));
    }
}
