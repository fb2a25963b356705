using Microsoft.Win32.SafeHandles;

namespace Cairn.Kafka.Storage.Segments;

/// <summary>
/// One segment: a <c>.log</c> file of whole record batches as received, with its sparse offset and time
/// indexes. Written by one writer at a time (the owning <see cref="PartitionLog"/> serializes writes);
/// read concurrently: readers only look below <see cref="Size"/>, which is published after the bytes
/// and index entries it covers are in place.
/// </summary>
internal sealed partial class LogSegment
{
    private readonly int _indexIntervalBytes;
    private long _size;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp = -1;
    private long _nextOffset;
    private int _bytesSinceLastIndexEntry;

    private LogSegment(string directory, long baseOffset, SafeFileHandle handle, long size, int indexIntervalBytes, int maxIndexEntries, long createdAtMs)
    {
        Directory = directory;
        BaseOffset = baseOffset;
        Handle = handle;
        _size = size;
        _nextOffset = baseOffset;
        _indexIntervalBytes = indexIntervalBytes;
        OffsetIndex = new OffsetIndex(maxIndexEntries);
        CreatedAtMs = createdAtMs;
    }

    public string Directory { get; }

    /// <summary>index.interval.bytes this segment was opened with.</summary>
    public int OffsetIndexInterval => _indexIntervalBytes;

    public long BaseOffset { get; }

    /// <summary>The open log file; shared with readers through <see cref="FileRegion"/>s.</summary>
    public SafeFileHandle Handle { get; }

    public OffsetIndex OffsetIndex { get; private set; }

    public TimeIndex TimeIndex { get; private set; } = new();

    /// <summary>Committed size in bytes: everything below it is whole, validated batches.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Largest batch maxTimestamp in the segment, or -1 when empty.</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>Offset of the batch that carried <see cref="MaxTimestamp"/>.</summary>
    public long OffsetOfMaxTimestamp => Volatile.Read(ref _offsetOfMaxTimestamp);

    /// <summary>One past the last offset stored in this segment (= <see cref="BaseOffset"/> when empty).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Wall-clock ms when the segment was created or opened (segment.ms falls back to it).</summary>
    public long CreatedAtMs { get; }

    /// <summary>maxTimestamp of the first batch (Kafka's rolling-based timestamp), or -1.</summary>
    public long FirstBatchTimestamp { get; private set; } = -1;

    public bool IsEmpty => Size == 0;

    public string LogPath => SegmentFiles.Log(Directory, BaseOffset);

    public static LogSegment Create(string directory, long baseOffset, int indexIntervalBytes, int maxIndexEntries, long nowMs)
    {
        var handle = File.OpenHandle(SegmentFiles.Log(directory, baseOffset), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        return new LogSegment(directory, baseOffset, handle, 0, indexIntervalBytes, maxIndexEntries, nowMs);
    }

    /// <summary>Opens an existing segment file; its indexes are loaded or rebuilt by the caller (recovery).</summary>
    public static LogSegment Open(string path, long baseOffset, int indexIntervalBytes, int maxIndexEntries, long nowMs)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var size = RandomAccess.GetLength(handle);
        return new LogSegment(Path.GetDirectoryName(path)!, baseOffset, handle, size, indexIntervalBytes, maxIndexEntries, nowMs);
    }

    /// <summary>True when <paramref name="batchBytes"/> more bytes keep the segment within int32 file positions and the index has room.</summary>
    public bool CanHold(long batchBytes, long lastOffset, int segmentBytes) =>
        (IsEmpty || Size + batchBytes <= segmentBytes) &&
        Size + batchBytes <= int.MaxValue &&
        !OffsetIndex.IsFull &&
        lastOffset - BaseOffset <= int.MaxValue;

    /// <summary>Writes bytes at the current end without publishing them.</summary>
    public void WriteAtEnd(ReadOnlySpan<byte> bytes, long extraOffset = 0) =>
        RandomAccess.Write(Handle, bytes, _size + extraOffset);

    /// <summary>
    /// Records one batch that was written at <paramref name="position"/>: indexes it (every
    /// index.interval.bytes) and tracks timestamps. Call in log order, then <see cref="Publish"/>.
    /// </summary>
    public void OnBatchWritten(long baseOffset, long lastOffset, long maxTimestamp, long position, int size)
    {
        if (FirstBatchTimestamp < 0 && position == 0)
        {
            FirstBatchTimestamp = maxTimestamp;
        }

        if (maxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _offsetOfMaxTimestamp, baseOffset);
            Volatile.Write(ref _maxTimestamp, maxTimestamp);
        }

        if (_bytesSinceLastIndexEntry > _indexIntervalBytes)
        {
            OffsetIndex.Add((int)(baseOffset - BaseOffset), (int)position);
            TimeIndex.Add(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset));
            _bytesSinceLastIndexEntry = 0;
        }

        _bytesSinceLastIndexEntry += size;
        Volatile.Write(ref _nextOffset, lastOffset + 1);
    }

    /// <summary>Makes everything below <paramref name="size"/> visible to readers.</summary>
    public void Publish(long size) => Volatile.Write(ref _size, size);

    /// <summary>Adds the final time-index entry (Kafka does this when a segment becomes inactive).</summary>
    public void OnBecomeInactive()
    {
        if (_maxTimestamp >= 0)
        {
            TimeIndex.Add(_maxTimestamp, (int)(_offsetOfMaxTimestamp - BaseOffset));
        }
    }

    /// <summary>fsync of the log file (data and size).</summary>
    public void Flush() => RandomAccess.FlushToDisk(Handle);

    /// <summary>Cuts the segment at <paramref name="position"/> (recovery of a torn or corrupt tail).</summary>
    public void TruncateTo(long position, long nextOffset)
    {
        RandomAccess.SetLength(Handle, position);
        OffsetIndex.TruncateToPosition((int)position);
        TimeIndex.TruncateToOffset((int)(nextOffset - BaseOffset));
        Volatile.Write(ref _nextOffset, nextOffset);
        Volatile.Write(ref _size, position);
    }
}
