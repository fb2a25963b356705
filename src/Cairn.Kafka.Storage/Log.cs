using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Storage;

/// <summary>Source-generated log messages of the storage layer.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Opened log {Topic}-{Partition}: {Segments} segments, offsets [{LogStartOffset}, {LogEndOffset}), clean shutdown: {Clean}")]
    public static partial void Opened(ILogger logger, string topic, int partition, int segments, long logStartOffset, long logEndOffset, bool clean);

    [LoggerMessage(2, LogLevel.Warning, "Recovery of {Topic}-{Partition} truncated segment {BaseOffset} at position {Position}, dropping {Bytes} bytes of torn or corrupt data")]
    public static partial void TruncatedTail(ILogger logger, string topic, int partition, long baseOffset, long position, long bytes);

    [LoggerMessage(3, LogLevel.Debug, "Rolled {Topic}-{Partition} to a new segment at offset {BaseOffset}")]
    public static partial void Rolled(ILogger logger, string topic, int partition, long baseOffset);

    [LoggerMessage(4, LogLevel.Information, "Deleted segment {BaseOffset} of {Topic}-{Partition} by retention")]
    public static partial void SegmentDeleted(ILogger logger, string topic, int partition, long baseOffset);

    [LoggerMessage(5, LogLevel.Error, "Append to {Topic}-{Partition} failed")]
    public static partial void AppendFailed(ILogger logger, string topic, int partition, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "Closing {Topic}-{Partition} failed")]
    public static partial void CloseFailed(ILogger logger, string topic, int partition, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Compacted {Topic}-{Partition}: {Segments} segments, {BytesBefore} -> {BytesAfter} bytes, {RecordsRemoved} records removed")]
    public static partial void Compacted(ILogger logger, string topic, int partition, int segments, long bytesBefore, long bytesAfter, long recordsRemoved);

    [LoggerMessage(8, LogLevel.Error, "Maintenance of {Topic}-{Partition} failed")]
    public static partial void MaintenanceFailed(ILogger logger, string topic, int partition, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Deleted partition directory {Directory}")]
    public static partial void DirectoryDeleted(ILogger logger, string directory);

    [LoggerMessage(10, LogLevel.Warning, "Skipping {Directory}: not a <topic>-<partition> log directory")]
    public static partial void SkippedDirectory(ILogger logger, string directory);

    [LoggerMessage(11, LogLevel.Warning, "Ignoring invalid topic config {Path}: {Error}")]
    public static partial void BadTopicConfig(ILogger logger, string path, string error);

    [LoggerMessage(12, LogLevel.Error, "A log maintenance pass failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}
