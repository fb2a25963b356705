using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Finds the first committed batch whose last offset is ≥ <paramref name="offset"/>: binary search in the
    /// offset index, then a forward scan of batch headers.
    /// </summary>
    public bool TryFindBatch(long offset, out long position, out RecordBatchHeader header)
    {
        var size = Size;
        position = offset <= BaseOffset ? 0 : OffsetIndex.LookupPosition((int)Math.Min(offset - BaseOffset, int.MaxValue));
        while (TryReadHeader(position, size, out header))
        {
            if (header.LastOffset >= offset)
            {
                return true;
            }

            position += header.TotalSize;
        }

        header = default;
        return false;
    }

    /// <summary>
    /// The run of whole batches starting with the batch that holds <paramref name="offset"/>, bounded by
    /// <paramref name="maxBytes"/> (at batch boundaries; the first batch is returned even when larger if
    /// <paramref name="minOneBatch"/>) and by <paramref name="maxOffsetExclusive"/> (the high watermark).
    /// </summary>
    /// <returns>False when the segment holds no batch at or after <paramref name="offset"/>.</returns>
    public bool TryRead(long offset, int maxBytes, long maxOffsetExclusive, bool minOneBatch, out FileRegion region)
    {
        region = new FileRegion(Handle, 0, 0);
        if (!TryFindBatch(offset, out var start, out var header))
        {
            return false;
        }

        if (header.LastOffset >= maxOffsetExclusive || (header.TotalSize > maxBytes && !minOneBatch))
        {
            region = new FileRegion(Handle, start, 0);
            return true;
        }

        var size = Size;
        var end = start + header.TotalSize;
        while (TryReadHeader(end, size, out var next) &&
               next.LastOffset < maxOffsetExclusive &&
               end + next.TotalSize - start <= maxBytes)
        {
            end += next.TotalSize;
        }

        region = new FileRegion(Handle, start, (int)(end - start));
        return true;
    }

    /// <summary>
    /// First batch whose maxTimestamp ≥ <paramref name="timestamp"/> (ListOffsets by time), found through the
    /// time index and a header scan.
    /// </summary>
    public bool TryFindByTimestamp(long timestamp, long maxOffsetExclusive, out long position, out RecordBatchHeader header)
    {
        var startOffset = BaseOffset + TimeIndex.LookupStartOffset(timestamp);
        if (!TryFindBatch(startOffset, out position, out header))
        {
            return false;
        }

        var size = Size;
        do
        {
            if (header.LastOffset >= maxOffsetExclusive)
            {
                return false;
            }

            if (header.MaxTimestamp >= timestamp)
            {
                return true;
            }

            position += header.TotalSize;
        }
        while (TryReadHeader(position, size, out header));

        return false;
    }

    /// <summary>Reads the batch header at <paramref name="position"/> if a whole batch lies below <paramref name="limit"/>.</summary>
    public bool TryReadHeader(long position, long limit, out RecordBatchHeader header)
    {
        header = default;
        if (position + RecordBatchHeader.Size > limit)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[RecordBatchHeader.Size];
        if (!ReadExactly(bytes, position) || !RecordBatchHeader.TryRead(bytes, out header))
        {
            return false;
        }

        return header.BatchLength >= RecordBatchHeader.Size - RecordBatchHeader.LogOverhead &&
               position + header.TotalSize <= limit;
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes at <paramref name="position"/>.</summary>
    public bool ReadExactly(Span<byte> destination, long position)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = RandomAccess.Read(Handle, destination[total..], position + total);
            if (n == 0)
            {
                return false;
            }

            total += n;
        }

        return true;
    }
}
