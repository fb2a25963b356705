using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Configuration;
using Cairn.Testing;

namespace Cairn.Kafka.Storage.Tests;

public class PartitionLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _dir.Dispose();

    private PartitionLog Open(LogConfig? config = null) =>
        PartitionLog.Open(_dir.Sub("t-0"), "t", 0, config ?? LogConfig.Default, _time);

    private static long AppendValues(PartitionLog log, int first, int count, long timestamp = 1_700_000_000_000)
    {
        var result = log.Append(TestBatches.Values(first, count, timestamp));
        result.Error.ShouldBe(StorageError.None);
        log.UpdateHighWatermark(log.LogEndOffset);
        return result.BaseOffset;
    }

    private static List<string?> ReadAllValues(PartitionLog log, long from = 0)
    {
        var values = new List<string?>();
        var offset = from;
        while (offset < log.HighWatermark)
        {
            var bytes = log.ReadBytes(offset, 1 << 20);
            bytes.Length.ShouldBeGreaterThan(0);
            foreach (var record in TestBatches.Decode(bytes))
            {
                if (record.Offset >= offset)
                {
                    values.Add(record.Value);
                    offset = record.Offset + 1;
                }
            }
        }

        return values;
    }

    [Fact]
    public void Append_assigns_consecutive_offsets_and_stamps_the_leader_epoch()
    {
        using var log = Open();
        log.LeaderEpoch = 3;
        var batches = new List<AppendedBatch>();
        var first = log.Append(TestBatches.Values(0, 3), batches);
        first.ShouldBe(new AppendResult(StorageError.None, 0, 2, -1, 0, 3));
        batches.ShouldHaveSingleItem().ShouldBe(new AppendedBatch(0, 2, -1, -1, -1, 2, 1_700_000_000_000, false, false));
        var second = log.Append(TestBatches.Values(3, 2));
        second.BaseOffset.ShouldBe(3);
        second.LastOffset.ShouldBe(4);
        log.LogEndOffset.ShouldBe(5);

        log.UpdateHighWatermark(5);
        var bytes = log.ReadBytes(0, 1 << 20);
        RecordBatchHeader.TryRead(bytes, out var header).ShouldBeTrue();
        header.PartitionLeaderEpoch.ShouldBe(3);
        TestBatches.Decode(bytes).Select(r => (r.Offset, r.Value)).ShouldBe([(0, "v0"), (1, "v1"), (2, "v2"), (3, "v3"), (4, "v4")]);
    }

    [Fact]
    public void Producer_info_is_reported_per_batch()
    {
        using var log = Open();
        var batch = TestBatches.Build([new("k", "a", 1), new("k", "b", 2)], producerId: 77, producerEpoch: 2, baseSequence: 10);
        var batches = new List<AppendedBatch>();
        log.Append(batch, batches).IsSuccess.ShouldBeTrue();
        batches.ShouldHaveSingleItem().ShouldBe(new AppendedBatch(0, 1, 77, 2, 10, 1, 2, false, false));
    }

    [Fact]
    public void Reads_see_only_records_below_the_high_watermark()
    {
        using var log = Open();
        log.Append(TestBatches.Values(0, 2)).IsSuccess.ShouldBeTrue();
        log.UpdateHighWatermark(2);
        log.Append(TestBatches.Values(2, 2)).IsSuccess.ShouldBeTrue();
        TestBatches.Decode(log.ReadBytes(0, 1 << 20)).Count.ShouldBe(2);
        TestBatches.Decode(log.ReadBytes(0, 1 << 20, upToHighWatermark: false)).Count.ShouldBe(4);
        log.Read(2, 1 << 20).Region.IsEmpty.ShouldBeTrue();
        log.Read(4, 1 << 20).Error.ShouldBe(StorageError.None);
        log.Read(5, 1 << 20).Error.ShouldBe(StorageError.OffsetOutOfRange);
    }

    [Fact]
    public void Max_bytes_is_honoured_at_batch_boundaries_but_one_batch_is_always_returned()
    {
        using var log = Open();
        var size = TestBatches.Values(10, 10).Length;
        for (var i = 1; i <= 5; i++)
        {
            AppendValues(log, i * 10, 10); // v10..v59: every batch has the same size
        }

        log.Read(0, size * 2 + 5).Region.Length.ShouldBe(size * 2);
        log.Read(0, 1).Region.Length.ShouldBe(size);
        log.Read(0, 1, minOneBatch: false).Region.IsEmpty.ShouldBeTrue();

        // An offset inside a batch returns the whole batch that holds it.
        var region = log.Read(15, size).Region;
        TestBatches.Decode(region.ToArray()).Select(r => r.Offset).ShouldBe(Enumerable.Range(10, 10).Select(i => (long)i));
    }

    [Fact]
    public void Invalid_batches_are_rejected_with_error_values_and_nothing_is_appended()
    {
        using var log = Open(LogConfig.Default with { MaxMessageBytes = 200 });
        var corrupt = TestBatches.Values(0, 1);
        corrupt[^1] ^= 0xFF;
        log.Append(corrupt).Error.ShouldBe(StorageError.CorruptMessage);

        var truncated = TestBatches.Values(0, 1)[..^1];
        log.Append(truncated).Error.ShouldBe(StorageError.CorruptMessage);

        var magic1 = TestBatches.Values(0, 1);
        magic1[RecordBatchHeader.MagicPosition] = 1;
        log.Append(magic1).Error.ShouldBe(StorageError.UnsupportedForMessageFormat);

        log.Append(TestBatches.Values(0, 30)).Error.ShouldBe(StorageError.MessageTooLarge);
        log.Append([]).Error.ShouldBe(StorageError.EmptyRecords);
        log.Append(new byte[10]).Error.ShouldBe(StorageError.CorruptMessage);

        // Count and lastOffsetDelta disagree: the CRC is right but the records are not.
        var badCount = TestBatches.Values(0, 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(badCount.AsSpan(RecordBatchHeader.RecordCountPosition), 3);
        RecordBatchHeader.UpdateCrc(badCount);
        log.Append(badCount).Error.ShouldBe(StorageError.InvalidRecord);

        // A valid batch followed by garbage: nothing of the request is appended.
        byte[] mixed = [.. TestBatches.Values(0, 1), .. corrupt];
        log.Append(mixed).Error.ShouldBe(StorageError.CorruptMessage);
        log.LogEndOffset.ShouldBe(0);
        log.SizeInBytes.ShouldBe(0);
    }

    [Fact]
    public void Compacted_topics_reject_records_without_keys()
    {
        using var log = Open(LogConfig.Default with { CleanupPolicy = CleanupPolicy.Compact });
        log.Append(TestBatches.Values(0, 1)).Error.ShouldBe(StorageError.InvalidRecord);
        log.Append(TestBatches.Values(0, 1, key: "k")).Error.ShouldBe(StorageError.None);
    }

    [Fact]
    public void Log_append_time_topics_stamp_the_broker_clock()
    {
        using var log = Open(LogConfig.Default with { MessageTimestampType = MessageTimestampType.LogAppendTime });
        var result = log.Append(TestBatches.Values(0, 1, timestamp: 5));
        result.LogAppendTime.ShouldBe(_time.GetUtcNow().ToUnixTimeMilliseconds());
        log.UpdateHighWatermark(1);
        var bytes = log.ReadBytes(0, 1 << 20);
        RecordBatchHeader.IsCrcValid(bytes).ShouldBeTrue();
        RecordBatchHeader.TryRead(bytes, out var header).ShouldBeTrue();
        header.IsLogAppendTime.ShouldBeTrue();
        header.MaxTimestamp.ShouldBe(result.LogAppendTime);
    }

    [Fact]
    public void Segments_roll_on_size_and_reads_cross_segments()
    {
        var batchSize = TestBatches.Values(0, 5).Length;
        using var log = Open(LogConfig.Default with { SegmentBytes = batchSize * 3, IndexIntervalBytes = 1 });
        for (var i = 0; i < 20; i++)
        {
            AppendValues(log, i * 5, 5);
        }

        log.SegmentCount.ShouldBeGreaterThanOrEqualTo(7);
        log.SegmentBaseOffsets().ShouldAllBe(b => b % 5 == 0);
        ReadAllValues(log).ShouldBe(Enumerable.Range(0, 100).Select(i => (string?)("v" + i)).ToList());
        for (var offset = 0; offset < 100; offset += 7)
        {
            TestBatches.Decode(log.ReadBytes(offset, 1)).ShouldContain(r => r.Offset == offset);
        }
    }

    [Fact]
    public void Segments_roll_when_the_offset_index_is_full()
    {
        using var log = Open(LogConfig.Default with { IndexIntervalBytes = 1, SegmentIndexBytes = 8 * 4 });
        for (var i = 0; i < 12; i++)
        {
            AppendValues(log, i, 1);
        }

        log.SegmentCount.ShouldBeGreaterThan(1);
        ReadAllValues(log).Count.ShouldBe(12);
    }

    [Fact]
    public void Segments_roll_on_segment_ms()
    {
        using var log = Open(LogConfig.Default with { SegmentMs = 60_000 });
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        AppendValues(log, 0, 1, now);
        _time.Advance(TimeSpan.FromSeconds(30));
        AppendValues(log, 1, 1, now);
        log.SegmentCount.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(31));
        AppendValues(log, 2, 1, now);
        log.SegmentCount.ShouldBe(2);
        _time.Advance(TimeSpan.FromSeconds(61));
        log.RunMaintenance();
        log.SegmentCount.ShouldBe(3);
        ReadAllValues(log).ShouldBe(["v0", "v1", "v2"]);
    }

    [Fact]
    public void Lookup_by_timestamp_finds_the_first_record_at_or_after_it()
    {
        using var log = Open(LogConfig.Default with { IndexIntervalBytes = 1, SegmentBytes = 400 });
        for (var i = 0; i < 30; i++)
        {
            var batch = TestBatches.Build([new(null, "a" + i, 1000 + (i * 10)), new(null, "b" + i, 1005 + (i * 10))]);
            log.Append(batch).IsSuccess.ShouldBeTrue();
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        log.SegmentCount.ShouldBeGreaterThan(2);
        log.LookupOffset(0).ShouldBe(new OffsetLookupResult(StorageError.None, 0, 1000));
        log.LookupOffset(1003).ShouldBe(new OffsetLookupResult(StorageError.None, 1, 1005));
        log.LookupOffset(1150).ShouldBe(new OffsetLookupResult(StorageError.None, 30, 1150));
        log.LookupOffset(1151).ShouldBe(new OffsetLookupResult(StorageError.None, 31, 1155));
        log.LookupOffset(1296).ShouldBe(new OffsetLookupResult(StorageError.None, -1, -1));
        log.LookupOffset(OffsetLookupResult.Earliest).Offset.ShouldBe(0);
        log.LookupOffset(OffsetLookupResult.Latest).Offset.ShouldBe(60);
        log.LookupOffset(OffsetLookupResult.MaxTimestamp).ShouldBe(new OffsetLookupResult(StorageError.None, 58, 1295));
    }

    [Fact]
    public void Reopening_after_a_clean_close_serves_the_same_records()
    {
        var config = LogConfig.Default with { SegmentBytes = 1000, IndexIntervalBytes = 100 };
        using (var log = Open(config))
        {
            for (var i = 0; i < 50; i++)
            {
                AppendValues(log, i * 3, 3);
            }
        }

        using var reopened = Open(config);
        reopened.LogEndOffset.ShouldBe(150);
        reopened.HighWatermark.ShouldBe(150);
        reopened.RecoveryPoint.ShouldBe(150);
        ReadAllValues(reopened).ShouldBe(Enumerable.Range(0, 150).Select(i => (string?)("v" + i)).ToList());
        AppendValues(reopened, 150, 1).ShouldBe(150);
    }

    [Fact]
    public void Reads_run_concurrently_with_appends_and_only_see_whole_batches()
    {
        using var log = Open(LogConfig.Default with { SegmentBytes = 4096 });
        const int total = 2000;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < total; i++)
            {
                AppendValues(log, i, 1);
            }
        });
        var reader = Task.Run(() =>
        {
            long next = 0;
            while (next < total)
            {
                var hw = log.HighWatermark;
                if (next >= hw)
                {
                    Thread.Yield();
                    continue;
                }

                var records = TestBatches.Decode(log.ReadBytes(next, 1 << 16));
                records.ShouldNotBeEmpty();
                foreach (var record in records)
                {
                    if (record.Offset >= next)
                    {
                        record.Offset.ShouldBe(next);
                        record.Value.ShouldBe("v" + next);
                        next++;
                    }
                }
            }
        });
        Task.WaitAll([writer, reader], TimeSpan.FromMinutes(5)).ShouldBeTrue();
    }
}
