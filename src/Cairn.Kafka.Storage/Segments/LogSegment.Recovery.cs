using System.Buffers;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Segments;

internal sealed partial class LogSegment
{
    private const int ScanChunk = 64 * 1024;

    /// <summary>
    /// Re-reads every batch from the start: checks framing, magic, offsets and CRC, rebuilds both indexes,
    /// and truncates the file at the first invalid or partial batch (a torn or corrupt tail).
    /// </summary>
    /// <param name="minBaseOffset">Offsets must not go below this (the previous segment's end).</param>
    /// <returns>The number of bytes cut off.</returns>
    public long Recover(long minBaseOffset)
    {
        OffsetIndex = new OffsetIndex(OffsetIndex.MaxEntries);
        TimeIndex = new TimeIndex();
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = -1;
        _bytesSinceLastIndexEntry = 0;
        FirstBatchTimestamp = -1;
        _nextOffset = BaseOffset;

        var fileSize = RandomAccess.GetLength(Handle);
        var expectedOffset = Math.Max(BaseOffset, minBaseOffset);
        long position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunk);
        try
        {
            while (TryReadHeader(position, fileSize, out var header) &&
                   header.Magic == RecordBatchHeader.CurrentMagic &&
                   header.BaseOffset >= expectedOffset &&
                   header.LastOffsetDelta >= 0 &&
                   header.LastOffset - BaseOffset <= int.MaxValue &&
                   !OffsetIndex.IsFull &&
                   IsCrcValid(position, header, buffer))
            {
                OnBatchWritten(header.BaseOffset, header.LastOffset, header.MaxTimestamp, position, header.TotalSize);
                expectedOffset = header.LastOffset + 1;
                position += header.TotalSize;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var truncated = fileSize - position;
        if (truncated > 0)
        {
            RandomAccess.SetLength(Handle, position);
        }

        Publish(position);
        return truncated;
    }

    /// <summary>
    /// Loads the index files of a cleanly closed segment and restores its end state from the batch headers
    /// after the last index entry. False when an index is missing, fails its sanity check, or the tail does not
    /// parse; the caller then runs <see cref="Recover"/>.
    /// </summary>
    public bool TryLoadIndexes()
    {
        var size = RandomAccess.GetLength(Handle);
        var offsetIndex = new OffsetIndex(OffsetIndex.MaxEntries);
        var timeIndex = new TimeIndex();
        try
        {
            var indexPath = SegmentFiles.Index(Directory, BaseOffset);
            var timeIndexPath = SegmentFiles.TimeIndex(Directory, BaseOffset);
            if (!File.Exists(indexPath) || !File.Exists(timeIndexPath) ||
                !offsetIndex.TryLoad(File.ReadAllBytes(indexPath), size) ||
                !timeIndex.TryLoad(File.ReadAllBytes(timeIndexPath), int.MaxValue))
            {
                return false;
            }
        }
        catch (IOException)
        {
            return false;
        }

        // Walk the headers after the last index entry to find the end; every entry must point at a batch.
        long position = offsetIndex.Count == 0 ? 0 : offsetIndex.LastEntry.Position;
        if (!TryReadHeader(position, size, out var header) && size > 0)
        {
            return false;
        }

        if (offsetIndex.Count > 0 && header.BaseOffset != BaseOffset + offsetIndex.LastEntry.RelativeOffset)
        {
            return false;
        }

        var next = BaseOffset;
        while (position < size)
        {
            if (!TryReadHeader(position, size, out header) || header.Magic != RecordBatchHeader.CurrentMagic || header.BaseOffset < next)
            {
                return false;
            }

            next = header.LastOffset + 1;
            position += header.TotalSize;
        }

        if (!TryReadHeader(0, size, out var first) && size > 0)
        {
            return false;
        }

        OffsetIndex = offsetIndex;
        TimeIndex = timeIndex;
        FirstBatchTimestamp = size > 0 ? first.MaxTimestamp : -1;
        _nextOffset = next;
        _maxTimestamp = timeIndex.Count > 0 ? timeIndex.LastTimestamp : -1;
        _offsetOfMaxTimestamp = timeIndex.Count > 0 ? BaseOffset + timeIndex.LookupStartOffset(long.MaxValue) : -1;
        _bytesSinceLastIndexEntry = (int)Math.Min(int.MaxValue, size - (offsetIndex.Count == 0 ? 0 : offsetIndex.LastEntry.Position));
        Publish(size);
        return true;
    }

    /// <summary>Writes both index files from memory (on roll, flush and close).</summary>
    public void WriteIndexFiles()
    {
        var offsetCount = OffsetIndex.Count;
        var timeCount = TimeIndex.Count;
        var bytes = new byte[Math.Max(offsetCount * OffsetIndex.EntrySize, timeCount * TimeIndex.EntrySize)];
        for (var i = 0; i < offsetCount; i++)
        {
            OffsetIndex.Encode(bytes.AsSpan(i * OffsetIndex.EntrySize), i);
        }

        WriteFile(SegmentFiles.Index(Directory, BaseOffset), bytes.AsSpan(0, offsetCount * OffsetIndex.EntrySize));
        for (var i = 0; i < timeCount; i++)
        {
            TimeIndex.Encode(bytes.AsSpan(i * TimeIndex.EntrySize), i);
        }

        WriteFile(SegmentFiles.TimeIndex(Directory, BaseOffset), bytes.AsSpan(0, timeCount * TimeIndex.EntrySize));
    }

    private static void WriteFile(string path, ReadOnlySpan<byte> bytes)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete);
        RandomAccess.Write(handle, bytes, 0);
    }

    private bool IsCrcValid(long position, RecordBatchHeader header, byte[] buffer)
    {
        var crc = uint.MaxValue;
        var covered = position + RecordBatchHeader.AttributesPosition;
        var end = position + header.TotalSize;
        while (covered < end)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - covered));
            if (!ReadExactly(chunk, covered))
            {
                return false;
            }

            crc = RecordBatchHeader.Crc32CUpdate(crc, chunk);
            covered += chunk.Length;
        }

        return ~crc == header.Crc;
    }
}
