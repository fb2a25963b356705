using System.Buffers;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Configuration;
using Cairn.Kafka.Storage.Records;
using Cairn.Kafka.Storage.Segments;

namespace Cairn.Kafka.Storage;

public sealed partial class PartitionLog
{
    private long _unflushedMessages;
    private long _firstUnflushedAppendMs = -1;

    /// <summary>
    /// Appends one or more whole magic-v2 batches exactly as received. Each batch is validated (framing, magic 2,
    /// size ≤ max.message.bytes, CRC-32C, record framing of uncompressed batches, keys on compacted topics); then
    /// base offsets are assigned from the log end offset, the leader epoch is stamped and, for LogAppendTime
    /// topics, maxTimestamp is set to now (CRC recomputed). <paramref name="records"/> is modified in place.
    /// Nothing is appended unless every batch is valid.
    /// </summary>
    /// <param name="records">The request's record set (one batch for Produce v3+).</param>
    /// <param name="batches">When given, receives per-batch producer info (cleared first).</param>
    public AppendResult Append(Span<byte> records, List<AppendedBatch>? batches = null)
    {
        batches?.Clear();
        var config = Config;
        var validation = Validate(records, config, out var batchCount, out var recordCount);
        if (validation != StorageError.None)
        {
            return AppendResult.Failed(validation, LogStartOffset);
        }

        lock (_writeLock)
        {
            if (_closed)
            {
                return AppendResult.Failed(StorageError.LogClosed, _logStartOffset);
            }

            var now = NowMs;
            var logAppendTime = config.MessageTimestampType == MessageTimestampType.LogAppendTime ? now : -1;
            var firstOffset = _logEndOffset;
            var nextOffset = firstOffset;
            var epoch = _leaderEpoch;
            for (var position = 0; position < records.Length;)
            {
                var batch = records.Slice(position, RecordBatchHeader.ReadBatchLength(records[position..]) + RecordBatchHeader.LogOverhead);
                RecordBatchHeader.SetBaseOffset(batch, nextOffset);
                RecordBatchHeader.SetPartitionLeaderEpoch(batch, epoch);
                if (logAppendTime >= 0)
                {
                    RecordBatchHeader.SetLogAppendTime(batch, logAppendTime);
                }

                RecordBatchHeader.TryRead(batch, out var header);
                nextOffset = header.LastOffset + 1;
                position += batch.Length;
            }

            var segment = _segments[^1];
            if (ShouldRoll(segment, records.Length, nextOffset - 1, config, now))
            {
                segment = Roll(firstOffset, now);
            }

            var start = segment.Size;
            try
            {
                segment.WriteAtEnd(records);
            }
            catch (IOException ex)
            {
                Log.AppendFailed(_logger, Topic, Partition, ex);

                // Cut whatever part of the write landed so the file ends at a batch boundary again.
                try
                {
                    RandomAccess.SetLength(segment.Handle, start);
                }
                catch (IOException)
                {
                }

                return AppendResult.Failed(StorageError.StorageFailure, _logStartOffset);
            }

            for (var position = 0; position < records.Length;)
            {
                RecordBatchHeader.TryRead(records[position..], out var header);
                segment.OnBatchWritten(header.BaseOffset, header.LastOffset, header.MaxTimestamp, start + position, header.TotalSize);
                batches?.Add(new AppendedBatch(
                    header.BaseOffset,
                    header.LastOffset,
                    header.ProducerId,
                    header.ProducerEpoch,
                    header.BaseSequence,
                    header.LastOffsetDelta,
                    header.MaxTimestamp,
                    header.IsTransactional,
                    header.IsControl));
                position += header.TotalSize;
            }

            segment.Publish(start + records.Length);
            Volatile.Write(ref _logEndOffset, nextOffset);
            StorageMetrics.Appended(batchCount, recordCount, records.Length);

            _unflushedMessages += recordCount;
            if (_firstUnflushedAppendMs < 0)
            {
                _firstUnflushedAppendMs = now;
            }

            if (_unflushedMessages >= config.FlushMessages)
            {
                FlushLocked();
            }

            return new AppendResult(StorageError.None, firstOffset, nextOffset - 1, logAppendTime, _logStartOffset, recordCount);
        }
    }

    private static StorageError Validate(ReadOnlySpan<byte> records, LogConfig config, out int batchCount, out int recordCount)
    {
        batchCount = 0;
        recordCount = 0;
        if (records.IsEmpty)
        {
            return StorageError.EmptyRecords;
        }

        while (!records.IsEmpty)
        {
            if (!RecordBatchHeader.TryRead(records, out var header) ||
                header.BatchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
            {
                return StorageError.CorruptMessage;
            }

            if (header.Magic != RecordBatchHeader.CurrentMagic)
            {
                return StorageError.UnsupportedForMessageFormat;
            }

            if (header.TotalSize > records.Length)
            {
                return StorageError.CorruptMessage;
            }

            if (header.TotalSize > config.MaxMessageBytes)
            {
                return StorageError.MessageTooLarge;
            }

            // CRC, count vs lastOffsetDelta, and every record parsing with offset deltas 0..n-1 (decompressing
            // compressed batches), as Kafka's LogValidator does.
            var batch = records[..header.TotalSize];
            var scratch = BatchRecords.Scratch;
            switch (new RecordBatch(batch).Validate(scratch))
            {
                case RecordBatchError.CorruptMessage:
                    return StorageError.CorruptMessage;
                case RecordBatchError.InvalidRecord:
                    return StorageError.InvalidRecord;
            }

            if (config.IsCompacted && !AllRecordsHaveKeys(batch, header, scratch))
            {
                return StorageError.InvalidRecord;
            }

            batchCount++;
            recordCount += header.RecordCount;
            records = records[header.TotalSize..];
        }

        return StorageError.None;
    }

    /// <summary>Compacted topics need a key on every record; <paramref name="scratch"/> holds the decompressed records of a compressed batch after validation.</summary>
    private static bool AllRecordsHaveKeys(ReadOnlySpan<byte> batch, RecordBatchHeader header, ArrayBufferWriter<byte> scratch)
    {
        var section = header.CompressionCodec == 0 ? batch[RecordBatchHeader.Size..] : scratch.WrittenSpan;
        foreach (var record in new RecordEnumerator(section, header.RecordCount))
        {
            if (record.IsKeyNull)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ShouldRoll(LogSegment segment, int bytes, long lastOffset, LogConfig config, long now)
    {
        if (!segment.CanHold(bytes, lastOffset, config.SegmentBytes))
        {
            return !segment.IsEmpty;
        }

        return !segment.IsEmpty && IsRollDueByTime(segment, config, now);
    }

    private static bool IsRollDueByTime(LogSegment segment, LogConfig config, long now)
    {
        var since = segment.FirstBatchTimestamp >= 0 && segment.FirstBatchTimestamp <= now ? Math.Max(segment.CreatedAtMs, segment.FirstBatchTimestamp) : segment.CreatedAtMs;
        return now - since >= config.SegmentMs;
    }

    /// <summary>Starts a new active segment at <paramref name="baseOffset"/>. Caller holds the write lock.</summary>
    private LogSegment Roll(long baseOffset, long now)
    {
        var config = Config;
        var previous = _segments[^1];
        previous.OnBecomeInactive();
        previous.WriteIndexFiles();
        var segment = LogSegment.Create(DirectoryPath, baseOffset, config.IndexIntervalBytes, config.MaxIndexEntries, now);
        var segments = new LogSegment[_segments.Length + 1];
        _segments.CopyTo(segments, 0);
        segments[^1] = segment;
        Volatile.Write(ref _segments, segments);
        Log.Rolled(_logger, Topic, Partition, baseOffset);
        return segment;
    }
}
