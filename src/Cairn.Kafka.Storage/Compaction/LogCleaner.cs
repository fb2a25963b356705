using System.Buffers;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Records;
using Cairn.Kafka.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Kafka.Storage.Compaction;

/// <summary>
/// Log compaction for <c>cleanup.policy=compact</c> (and <c>compact,delete</c>): rewrites closed segments keeping
/// the latest record per key, drops tombstones older than delete.retention.ms, keeps every surviving record at
/// its offset (gaps allowed), and swaps each rewritten segment in atomically (<c>.cleaned</c> → <c>.swap</c> →
/// <c>.log</c>). The active segment is never touched and appends and reads are not blocked: the rewrite reads
/// immutable closed segments, and only the final swap takes the partition's write lock.
/// </summary>
/// <remarks>
/// Compressed batches are decompressed to read their keys and re-compressed with the same codec when rewritten
/// (snappy is written with xerial framing, which every client reads).
/// </remarks>
public sealed class LogCleaner
{
    private readonly ILogger _logger;

    public LogCleaner(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>Dirty bytes (closed segments not compacted yet) divided by all closed bytes.</summary>
    public static double DirtyRatio(PartitionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        long total = 0, dirty = 0;
        var checkpoint = log.CleanerCheckpoint;
        foreach (var segment in log.ClosedSegments())
        {
            total += segment.Size;
            if (segment.NextOffset > checkpoint)
            {
                dirty += segment.Size;
            }
        }

        return total == 0 ? 0 : (double)dirty / total;
    }

    /// <summary>
    /// Compacts <paramref name="log"/> when its dirty ratio reaches min.cleanable.dirty.ratio
    /// (or always with <paramref name="force"/>).
    /// </summary>
    /// <returns>What was done; <see cref="CleanResult.SegmentsCleaned"/> is 0 when nothing was due.</returns>
    public CleanResult Clean(PartitionLog log, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var config = log.Config;
        if (!config.IsCompacted || (!force && (DirtyRatio(log) < config.MinCleanableDirtyRatio || DirtyRatio(log) == 0)))
        {
            return default;
        }

        var now = log.NowMilliseconds;

        // min.compaction.lag.ms: only a prefix of closed segments whose records are all old enough.
        var closed = log.ClosedSegments();
        var cleanable = 0;
        while (cleanable < closed.Length && closed[cleanable].MaxTimestamp <= now - config.MinCompactionLagMs)
        {
            cleanable++;
        }

        if (cleanable == 0)
        {
            return default;
        }

        var segments = closed[..cleanable];
        var latest = BuildKeyMap(segments, cancellationToken);
        var tombstoneHorizon = now - config.DeleteRetentionMs;
        long before = 0, after = 0, removed = 0;
        var cleaned = 0;
        foreach (var segment in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (copy, swapPath, dropped) = Rewrite(segment, latest, tombstoneHorizon);
            before += segment.Size;
            if (copy is null)
            {
                after += segment.Size;
                continue;
            }

            if (log.SwapIn(segment, copy, swapPath))
            {
                after += copy.Size;
                removed += dropped;
                cleaned++;
            }
        }

        log.SetCleanerCheckpoint(segments[^1].NextOffset);
        StorageMetrics.SegmentsCleaned(cleaned);
        Log.Compacted(_logger, log.Topic, log.Partition, cleaned, before, after, removed);
        return new CleanResult(cleaned, before, after, removed);
    }

    /// <summary>Pass 1: key → offset of its latest record, over the cleanable segments.</summary>
    private static Dictionary<byte[], long> BuildKeyMap(LogSegment[] segments, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<byte[], long>(KeyComparer.Instance);
        var lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
        var scratch = new ArrayBufferWriter<byte>();
        foreach (var segment in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ForEachBatch(segment, batch =>
            {
                RecordBatchHeader.TryRead(batch, out var header);
                if (header.IsControl)
                {
                    return;
                }

                try
                {
                    foreach (var record in new RecordEnumerator(BatchRecords.Section(batch, scratch), header.RecordCount))
                    {
                        if (!record.IsKeyNull)
                        {
                            lookup[record.Key] = header.BaseOffset + record.OffsetDelta;
                        }
                    }
                }
                catch (KafkaProtocolException)
                {
                    // Unreadable records are kept as they are by pass 2.
                }
            });
        }

        return latest;
    }

    /// <summary>
    /// Pass 2 for one segment: writes the kept records to <c>.log.cleaned</c>, renames it to <c>.log.swap</c> and
    /// opens it (indexes rebuilt by a validating scan). Returns a null copy when nothing would change.
    /// </summary>
    private static (LogSegment? Copy, string SwapPath, long Dropped) Rewrite(LogSegment segment, Dictionary<byte[], long> latest, long tombstoneHorizon)
    {
        var cleanedPath = segment.LogPath + SegmentFiles.CleanedSuffix;
        var swapPath = segment.LogPath + SegmentFiles.SwapSuffix;
        long dropped = 0;
        long written = 0;
        using (var output = File.OpenHandle(cleanedPath, FileMode.Create, FileAccess.Write))
        {
            var buffers = new FilterBuffers();
            ForEachBatch(segment, batch =>
            {
                var kept = Filter(batch, latest, tombstoneHorizon, buffers, out var droppedHere);
                dropped += droppedHere;
                if (!kept.IsEmpty)
                {
                    RandomAccess.Write(output, kept, written);
                    written += kept.Length;
                }
            });
            RandomAccess.FlushToDisk(output);
        }

        if (dropped == 0)
        {
            File.Delete(cleanedPath);
            return (null, swapPath, 0);
        }

        File.Move(cleanedPath, swapPath, overwrite: true);
        var copy = LogSegment.Open(swapPath, segment.BaseOffset, segment.OffsetIndexInterval, segment.OffsetIndex.MaxEntries, segment.CreatedAtMs);
        copy.Recover(segment.BaseOffset);
        return (copy, swapPath, dropped);
    }

    /// <summary>
    /// The bytes to keep of one batch: the batch itself when every record survives, a rebuilt batch (same base
    /// offset, lastOffsetDelta, attributes and producer fields; new count, length and CRC; re-compressed with the
    /// batch's codec) when some do, nothing when none do and the batch carries no producer state. Batches whose
    /// records cannot be read are kept unchanged rather than lose data.
    /// </summary>
    private static ReadOnlySpan<byte> Filter(ReadOnlySpan<byte> batch, Dictionary<byte[], long> latest, long tombstoneHorizon, FilterBuffers buffers, out long dropped)
    {
        dropped = 0;
        RecordBatchHeader.TryRead(batch, out var header);
        if (header.IsControl)
        {
            return batch;
        }

        var lookup = latest.GetAlternateLookup<ReadOnlySpan<byte>>();
        var kept = buffers.Records;
        kept.Reset(0);
        var keptCount = 0;
        long droppedHere = 0;
        try
        {
            var section = BatchRecords.Section(batch, buffers.Decompressed);
            var position = 0;
            for (var i = 0; i < header.RecordCount; i++)
            {
                var start = position;
                var record = RecordEnumerator.ReadRecord(section, ref position);
                var offset = header.BaseOffset + record.OffsetDelta;
                var keep = record.IsKeyNull ||
                           (lookup.TryGetValue(record.Key, out var newest) && newest == offset &&
                            (!record.IsValueNull || header.BaseTimestamp + record.TimestampDelta >= tombstoneHorizon));
                if (keep)
                {
                    kept.Write(section[start..position]);
                    keptCount++;
                }
                else
                {
                    droppedHere++;
                }
            }

            if (position != section.Length)
            {
                return batch;
            }
        }
        catch (KafkaProtocolException)
        {
            return batch;
        }

        dropped = droppedHere;
        if (dropped == 0)
        {
            return batch;
        }

        if (keptCount == 0 && !header.HasProducerId)
        {
            return [];
        }

        var output = buffers.Output;
        output.Reset(RecordBatchHeader.Size);
        if (header.CompressionCodec == 0 || keptCount == 0)
        {
            output.Write(kept.Written);
        }
        else
        {
            buffers.Compressed.ResetWrittenCount();
            CompressionCodec.Get((CompressionType)header.CompressionCodec).Compress(kept.Written, buffers.Compressed);
            output.Write(buffers.Compressed.WrittenSpan);
        }

        var span = output.Written;
        new RecordBatchHeader(
            header.BaseOffset,
            span.Length - RecordBatchHeader.LogOverhead,
            header.PartitionLeaderEpoch,
            header.Magic,
            0,
            keptCount == 0 ? (short)(header.Attributes & ~RecordBatchHeader.CompressionCodecMask) : header.Attributes,
            header.LastOffsetDelta,
            header.BaseTimestamp,
            header.MaxTimestamp,
            header.ProducerId,
            header.ProducerEpoch,
            header.BaseSequence,
            keptCount).WriteTo(span);
        RecordBatchHeader.UpdateCrc(span);
        return span;
    }

    /// <summary>Reusable buffers of one segment rewrite.</summary>
    private sealed class FilterBuffers
    {
        public ArrayBufferWriter<byte> Decompressed { get; } = new();

        public ArrayBufferWriter<byte> Compressed { get; } = new();

        public ScratchBuffer Records { get; } = new();

        public ScratchBuffer Output { get; } = new();
    }

    private delegate void BatchAction(ReadOnlySpan<byte> batch);

    private static void ForEachBatch(LogSegment segment, BatchAction action)
    {
        var size = segment.Size;
        long position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (segment.TryReadHeader(position, size, out var header))
            {
                if (buffer.Length < header.TotalSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(header.TotalSize);
                }

                var batch = buffer.AsSpan(0, header.TotalSize);
                if (!segment.ReadExactly(batch, position))
                {
                    break;
                }

                action(batch);
                position += header.TotalSize;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Outcome of one <see cref="LogCleaner.Clean"/> pass.</summary>
public readonly record struct CleanResult(int SegmentsCleaned, long BytesBefore, long BytesAfter, long RecordsRemoved);
