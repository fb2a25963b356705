using System.Buffers;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Records;
using Cairn.Kafka.Storage.Segments;

namespace Cairn.Kafka.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches starting with the batch that holds <paramref name="offset"/> (Fetch). The result is a
    /// file region in one segment, bounded by <paramref name="maxBytes"/> at batch boundaries (the first batch is
    /// returned even when larger, like Kafka, when <paramref name="minOneBatch"/>) and by the high watermark
    /// (or the log end offset when <paramref name="upToHighWatermark"/> is false, for followers). An offset equal
    /// to the bound gives an empty region; an offset below the log start or above the log end offset gives
    /// <see cref="StorageError.OffsetOutOfRange"/>. Lock-free.
    /// </summary>
    public ReadResult Read(long offset, int maxBytes, bool upToHighWatermark = true, bool minOneBatch = true)
    {
        var segments = Volatile.Read(ref _segments);
        var highWatermark = HighWatermark;
        var logEndOffset = LogEndOffset;
        var logStartOffset = LogStartOffset;
        if (offset < logStartOffset || offset > logEndOffset)
        {
            return new ReadResult(StorageError.OffsetOutOfRange, default, highWatermark, logStartOffset, logEndOffset);
        }

        var bound = upToHighWatermark ? highWatermark : logEndOffset;
        var region = default(FileRegion);
        if (offset < bound)
        {
            for (var i = FindSegmentIndex(segments, offset); i < segments.Length; i++)
            {
                if (segments[i].TryRead(offset, maxBytes, bound, minOneBatch, out region))
                {
                    break;
                }
            }
        }

        return new ReadResult(StorageError.None, region, highWatermark, logStartOffset, logEndOffset);
    }

    /// <summary>Copying read for tests and tools: the bytes of <see cref="Read"/>'s region.</summary>
    public byte[] ReadBytes(long offset, int maxBytes, bool upToHighWatermark = true)
    {
        var result = Read(offset, maxBytes, upToHighWatermark);
        return result.IsSuccess && !result.Region.IsEmpty ? result.Region.ToArray() : [];
    }

    /// <summary>
    /// ListOffsets: <see cref="OffsetLookupResult.Earliest"/> (-2) gives the log start offset,
    /// <see cref="OffsetLookupResult.Latest"/> (-1) the high watermark, <see cref="OffsetLookupResult.MaxTimestamp"/>
    /// (-3) the batch with the largest timestamp; any other timestamp gives the first record whose timestamp is
    /// ≥ it (compressed batches are decompressed to find it), or offset -1 when there is none.
    /// </summary>
    public OffsetLookupResult LookupOffset(long timestamp)
    {
        var highWatermark = HighWatermark;
        switch (timestamp)
        {
            case OffsetLookupResult.Earliest:
                return new OffsetLookupResult(StorageError.None, LogStartOffset, -1);
            case OffsetLookupResult.Latest:
                return new OffsetLookupResult(StorageError.None, highWatermark, -1);
            case OffsetLookupResult.MaxTimestamp:
                return LookupMaxTimestamp(highWatermark);
            case < 0:
                return new OffsetLookupResult(StorageError.OffsetOutOfRange, -1, -1);
        }

        var segments = Volatile.Read(ref _segments);
        var logStartOffset = LogStartOffset;
        foreach (var segment in segments)
        {
            if (segment.MaxTimestamp < timestamp || segment.NextOffset <= logStartOffset)
            {
                continue;
            }

            if (segment.TryFindByTimestamp(timestamp, highWatermark, out var position, out var header))
            {
                var (offset, recordTimestamp) = FindRecordByTimestamp(segment, position, header, timestamp);
                return new OffsetLookupResult(StorageError.None, Math.Max(offset, logStartOffset), recordTimestamp);
            }
        }

        return new OffsetLookupResult(StorageError.None, -1, -1);
    }

    private OffsetLookupResult LookupMaxTimestamp(long highWatermark)
    {
        long bestTimestamp = -1, bestOffset = -1;
        foreach (var segment in Volatile.Read(ref _segments))
        {
            var ts = segment.MaxTimestamp;
            if (ts > bestTimestamp && segment.OffsetOfMaxTimestamp < highWatermark)
            {
                bestTimestamp = ts;
                bestOffset = segment.OffsetOfMaxTimestamp;
            }
        }

        return new OffsetLookupResult(StorageError.None, bestOffset, bestTimestamp);
    }

    private static (long Offset, long Timestamp) FindRecordByTimestamp(LogSegment segment, long position, RecordBatchHeader header, long timestamp)
    {
        if (header.IsLogAppendTime || header.TotalSize > 16 * 1024 * 1024)
        {
            return (header.BaseOffset, header.MaxTimestamp);
        }

        var bytes = ArrayPool<byte>.Shared.Rent(header.TotalSize);
        try
        {
            var batch = bytes.AsSpan(0, header.TotalSize);
            if (segment.ReadExactly(batch, position))
            {
                foreach (var record in new RecordEnumerator(BatchRecords.Section(batch, BatchRecords.Scratch), header.RecordCount))
                {
                    var recordTimestamp = header.BaseTimestamp + record.TimestampDelta;
                    if (recordTimestamp >= timestamp)
                    {
                        return (header.BaseOffset + record.OffsetDelta, recordTimestamp);
                    }
                }
            }
        }
        catch (KafkaProtocolException)
        {
            // Unreadable records: the batch's first offset is still a correct lower bound.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        return (header.BaseOffset, header.MaxTimestamp);
    }

    /// <summary>Index of the last segment whose base offset is ≤ <paramref name="offset"/> (0 when none).</summary>
    private static int FindSegmentIndex(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
