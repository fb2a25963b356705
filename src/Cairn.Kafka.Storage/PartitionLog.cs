using Cairn.Kafka.Storage.Configuration;
using Cairn.Kafka.Storage.Segments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Kafka.Storage;

/// <summary>
/// The log of one topic-partition in <c>&lt;data&gt;/&lt;topic&gt;-&lt;partition&gt;/</c>: segment files named by base
/// offset, sparse offset and time indexes, crash recovery, retention, and reads as file regions.
/// </summary>
/// <remarks>
/// Concurrency: every mutation (append, roll, flush, retention, compaction swap, close) takes one
/// per-partition lock, so callers may append from any thread (the broker appends from one logical thread
/// per partition, so the lock is uncontended). Reads take no lock: the segment list is copy-on-write and
/// each segment publishes its committed size, and the log end offset, only after the bytes and index
/// entries are written, so a reader only ever sees whole, committed batches.
/// </remarks>
public sealed partial class PartitionLog : IDisposable
{
    private readonly object _writeLock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<(LogSegment Segment, long DisposeAtMs)> _retired = [];
    private LogSegment[] _segments = [];
    private LogConfig _config;
    private long _logStartOffset;
    private long _logEndOffset;
    private long _highWatermark;
    private int _leaderEpoch = -1;
    private bool _closed;
    private bool _handlesClosed;

    private PartitionLog(string directory, string topic, int partition, LogConfig config, TimeProvider time, ILogger logger)
    {
        DirectoryPath = directory;
        Topic = topic;
        Partition = partition;
        _config = config;
        _time = time;
        _logger = logger;
    }

    /// <summary>The partition directory.</summary>
    public string DirectoryPath { get; private set; }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>The topic config in force; replaced with <see cref="UpdateConfig"/>.</summary>
    public LogConfig Config => Volatile.Read(ref _config);

    /// <summary>First offset still in the log (advanced by retention).</summary>
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>Offset the next appended record gets.</summary>
    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    /// <summary>
    /// Offset below which records are committed and visible to consumers. Set by the broker
    /// (<see cref="UpdateHighWatermark"/>); a single node sets it to <see cref="LogEndOffset"/> after each
    /// append. Starts at the log end offset when the log is opened.
    /// </summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    /// <summary>Leader epoch stamped into every appended batch (partitionLeaderEpoch); -1 until set.</summary>
    public int LeaderEpoch
    {
        get => Volatile.Read(ref _leaderEpoch);
        set => Volatile.Write(ref _leaderEpoch, value);
    }

    /// <summary>Offset below which all data is known to be on disk (fsynced).</summary>
    public long RecoveryPoint { get; private set; }

    /// <summary>Number of segments, including the active one.</summary>
    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>Total bytes of all segment files.</summary>
    public long SizeInBytes
    {
        get
        {
            long total = 0;
            foreach (var segment in Volatile.Read(ref _segments))
            {
                total += segment.Size;
            }

            return total;
        }
    }

    /// <summary>Base offsets of the segments, oldest first (tests, tools and DescribeLogDirs).</summary>
    public long[] SegmentBaseOffsets()
    {
        var segments = Volatile.Read(ref _segments);
        var result = new long[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            result[i] = segments[i].BaseOffset;
        }

        return result;
    }

    /// <summary>Sets the high watermark, clamped to [log start offset, log end offset].</summary>
    public void UpdateHighWatermark(long highWatermark)
    {
        lock (_writeLock)
        {
            Volatile.Write(ref _highWatermark, Math.Clamp(highWatermark, _logStartOffset, _logEndOffset));
        }
    }

    /// <summary>Replaces the topic config; takes effect for the next append, roll and retention pass.</summary>
    public void UpdateConfig(LogConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Volatile.Write(ref _config, config);
    }

    /// <summary>Flushes everything, writes the indexes and a clean-shutdown checkpoint, and closes all files.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            var segments = _segments;
            try
            {
                foreach (var segment in segments)
                {
                    segment.Flush();
                }

                segments[^1].OnBecomeInactive();
                foreach (var segment in segments)
                {
                    segment.WriteIndexFiles();
                }

                RecoveryPoint = _logEndOffset;
                WriteCheckpoint(clean: true);
            }
            catch (IOException ex)
            {
                Log.CloseFailed(_logger, Topic, Partition, ex);
            }

            CloseHandlesLocked();
        }
    }

    /// <summary>
    /// The partition was deleted and its directory renamed: refuse further writes (appends answer
    /// <see cref="StorageError.LogClosed"/>) but keep the files open for reads in flight.
    /// </summary>
    internal void MarkDeleted(string newDirectory)
    {
        lock (_writeLock)
        {
            _closed = true;
            DirectoryPath = newDirectory;
        }
    }

    /// <summary>Closes the files without writing anything (after <see cref="MarkDeleted"/> and the delete delay).</summary>
    internal void CloseForDeletion()
    {
        lock (_writeLock)
        {
            CloseHandlesLocked();
        }
    }

    private void CloseHandlesLocked()
    {
        _closed = true;
        if (_handlesClosed)
        {
            return;
        }

        _handlesClosed = true;
        foreach (var segment in _segments)
        {
            segment.Handle.Dispose();
        }

        foreach (var (segment, _) in _retired)
        {
            segment.Handle.Dispose();
        }

        _retired.Clear();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static ILogger DefaultLogger => NullLogger.Instance;
}
