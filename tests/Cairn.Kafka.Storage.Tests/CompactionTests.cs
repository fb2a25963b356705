using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Compaction;
using Cairn.Kafka.Storage.Configuration;
using Cairn.Testing;

namespace Cairn.Kafka.Storage.Tests;

public class CompactionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _dir.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly LogConfig Compacted = LogConfig.Default with
    {
        CleanupPolicy = CleanupPolicy.Compact,
        SegmentBytes = 300,
        DeleteRetentionMs = 60_000,
    };

    private static List<(long Offset, string? Key, string? Value, long Timestamp)> ReadAll(PartitionLog log)
    {
        var all = new List<(long, string?, string?, long)>();
        var offset = log.LogStartOffset;
        while (offset < log.HighWatermark)
        {
            var records = TestBatches.Decode(log.ReadBytes(offset, 1 << 20));
            if (records.Count == 0)
            {
                break;
            }

            foreach (var record in records)
            {
                if (record.Offset >= offset)
                {
                    all.Add(record);
                }
            }

            offset = records[^1].Offset + 1;
            var region = log.Read(offset, 1).Region;
            if (region.IsEmpty && offset < log.HighWatermark)
            {
                // The rest of the batch was compacted away: continue after the batch.
                RecordBatchHeader.TryRead(log.ReadBytes(records[^1].Offset, 1), out var header).ShouldBeTrue();
                offset = header.LastOffset + 1;
            }
        }

        return all;
    }

    private void Produce(PartitionLog log, string key, string? value) =>
        log.Append(TestBatches.Build(new TestBatches.TestRecord(key, value, Now))).IsSuccess.ShouldBeTrue();

    [Fact]
    public void Cleaning_keeps_the_latest_value_per_key_at_its_original_offset()
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted, _time);
        for (var round = 0; round < 10; round++)
        {
            foreach (var key in new[] { "a", "b", "c" })
            {
                Produce(log, key, $"{key}{round}");
            }
        }

        Produce(log, "d", "only");
        log.UpdateHighWatermark(log.LogEndOffset);
        var before = ReadAll(log);
        before.Count.ShouldBe(31);
        log.SegmentCount.ShouldBeGreaterThan(3);
        var activeBase = log.SegmentBaseOffsets()[^1];

        var result = new LogCleaner().Clean(log);
        result.SegmentsCleaned.ShouldBeGreaterThan(0);
        result.BytesAfter.ShouldBeLessThan(result.BytesBefore);

        var after = ReadAll(log);
        // Closed segments hold one record per key (the latest before the active segment); offsets unchanged.
        foreach (var record in after.Where(r => r.Offset < activeBase))
        {
            var latestBeforeActive = before.Where(r => r.Key == record.Key && r.Offset < activeBase).Max(r => r.Offset);
            record.Offset.ShouldBe(latestBeforeActive);
            before.ShouldContain(record);
        }

        // The latest value of every key is still there, at the same offset.
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            var latest = before.Where(r => r.Key == key).MaxBy(r => r.Offset);
            after.ShouldContain(latest);
        }

        after.Count.ShouldBeLessThan(before.Count);
        after.Select(r => r.Offset).ShouldBeInOrder();

        // Appends and offsets continue as before.
        log.Append(TestBatches.Build(new TestBatches.TestRecord("a", "new", Now))).BaseOffset.ShouldBe(31);
    }

    [Fact]
    public void Tombstones_are_kept_for_delete_retention_ms_then_removed()
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted, _time);
        Produce(log, "gone", "v");
        Produce(log, "kept", "v");
        Produce(log, "gone", null);
        for (var i = 0; i < 10; i++)
        {
            Produce(log, "filler" + i, "x");
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        new LogCleaner().Clean(log, force: true);
        var afterFirst = ReadAll(log);
        afterFirst.ShouldNotContain(r => r.Key == "gone" && r.Value == "v");
        afterFirst.ShouldContain(r => r.Key == "gone" && r.Value == null && r.Offset == 2);

        _time.Advance(TimeSpan.FromMinutes(2));
        new LogCleaner().Clean(log, force: true);
        var afterSecond = ReadAll(log);
        afterSecond.ShouldNotContain(r => r.Key == "gone");
        afterSecond.ShouldContain(r => r.Key == "kept" && r.Offset == 1);
    }

    [Fact]
    public void Cleaned_segments_survive_a_restart_and_a_crash_during_the_swap_is_completed()
    {
        var dir = _dir.Sub("c-0");
        List<(long, string?, string?, long)> cleaned;
        using (var log = PartitionLog.Open(dir, "c", 0, Compacted, _time))
        {
            for (var i = 0; i < 30; i++)
            {
                Produce(log, "k" + (i % 3), "v" + i);
            }

            log.UpdateHighWatermark(log.LogEndOffset);
            new LogCleaner().Clean(log, force: true).SegmentsCleaned.ShouldBeGreaterThan(0);
            cleaned = ReadAll(log);
        }

        // Leftovers of an interrupted cleaning: a half-written .cleaned is dropped.
        File.WriteAllBytes(Path.Combine(dir, "00000000000000000000.log.cleaned"), [1, 2, 3]);
        using (var reopened = PartitionLog.Open(dir, "c", 0, Compacted, _time))
        {
            ReadAll(reopened).ShouldBe(cleaned);
            File.Exists(Path.Combine(dir, "00000000000000000000.log.cleaned")).ShouldBeFalse();
        }

        // A finished .swap replaces the segment (here: the first segment emptied).
        File.WriteAllBytes(Path.Combine(dir, "00000000000000000000.log.swap"), []);
        using var swapped = PartitionLog.Open(dir, "c", 0, Compacted, _time);
        File.Exists(Path.Combine(dir, "00000000000000000000.log.swap")).ShouldBeFalse();
        new FileInfo(Path.Combine(dir, "00000000000000000000.log")).Length.ShouldBe(0);
        ReadAll(swapped).ShouldBe(cleaned.Where(r => r.Item1 >= swapped.SegmentBaseOffsets()[1]).ToList());
    }

    [Fact]
    public void Idempotent_batches_emptied_by_cleaning_keep_their_producer_state()
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted, _time);
        log.Append(TestBatches.Build([new("k", "old", Now)], producerId: 9, producerEpoch: 0, baseSequence: 0)).IsSuccess.ShouldBeTrue();
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Build([new("k", "new" + i, Now)], producerId: 9, producerEpoch: 0, baseSequence: i + 1)).IsSuccess.ShouldBeTrue();
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        new LogCleaner().Clean(log, force: true).RecordsRemoved.ShouldBeGreaterThan(0);
        var bytes = log.ReadBytes(0, 1);
        RecordBatchHeader.TryRead(bytes, out var header).ShouldBeTrue();
        header.BaseOffset.ShouldBe(0);
        header.RecordCount.ShouldBe(0);
        header.ProducerId.ShouldBe(9);
        header.BaseSequence.ShouldBe(0);
        RecordBatchHeader.IsCrcValid(bytes).ShouldBeTrue();
    }

    [Fact]
    public async Task Cleaning_runs_while_appends_and_reads_continue()
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted with { SegmentBytes = 2000 }, _time);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 3000; i++)
            {
                log.Append(TestBatches.Build(new TestBatches.TestRecord("k" + (i % 50), "v" + i, Now))).IsSuccess.ShouldBeTrue();
                log.UpdateHighWatermark(log.LogEndOffset);
            }
        });
        var cleaner = Task.Run(() =>
        {
            var c = new LogCleaner();
            while (!writer.IsCompleted)
            {
                c.Clean(log, force: true);
            }
        });
        var reader = Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                var hw = log.HighWatermark;
                var bytes = log.ReadBytes(Math.Max(log.LogStartOffset, hw - 20), 4096);
                if (hw > 0)
                {
                    TestBatches.Decode(bytes); // CRC-checked whole batches only
                }
            }
        });
        await Task.WhenAll(writer, cleaner, reader).WaitAsync(TimeSpan.FromMinutes(2));

        // The last value of every key is still served.
        new LogCleaner().Clean(log, force: true);
        var latest = ReadAll(log).GroupBy(r => r.Key).ToDictionary(g => g.Key!, g => g.MaxBy(r => r.Offset).Value);
        for (var k = 0; k < 50; k++)
        {
            latest["k" + k].ShouldBe("v" + (2950 + k));
        }
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compressed_batches_are_compacted_and_stay_compressed(CompressionType codec)
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted, _time);
        for (var round = 0; round < 6; round++)
        {
            var batch = TestBatches.Build([new("a", "a" + round, Now), new("b", "b" + round, Now), new("c", "c" + round, Now)], -1, -1, -1, codec);
            log.Append(batch).IsSuccess.ShouldBeTrue();
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        var before = ReadAll(log);
        var activeBase = log.SegmentBaseOffsets()[^1];
        new LogCleaner().Clean(log, force: true).RecordsRemoved.ShouldBeGreaterThan(0);
        var after = ReadAll(log);
        after.Count.ShouldBeLessThan(before.Count);
        after.Where(r => r.Offset < activeBase).GroupBy(r => r.Key).ShouldAllBe(g => g.Count() == 1);
        foreach (var key in new[] { "a", "b", "c" })
        {
            after.ShouldContain(before.Where(r => r.Key == key).MaxBy(r => r.Offset));
        }

        RecordBatchHeader.TryRead(log.ReadBytes(0, 1), out var first).ShouldBeTrue();
        first.CompressionCodec.ShouldBe((int)codec);
    }

    [Fact]
    public void Compressed_batches_are_validated_on_append()
    {
        using var log = PartitionLog.Open(_dir.Sub("c-0"), "c", 0, Compacted, _time);
        log.Append(TestBatches.Build([new(null, "no key", Now)], -1, -1, -1, CompressionType.Gzip)).Error.ShouldBe(StorageError.InvalidRecord);
        var garbage = TestBatches.Build([new("k", "v", Now)], -1, -1, -1, CompressionType.Gzip);
        garbage[RecordBatchHeader.Size + 12] ^= 0xFF;
        RecordBatchHeader.UpdateCrc(garbage);
        log.Append(garbage).Error.ShouldBe(StorageError.CorruptMessage);
        log.LogEndOffset.ShouldBe(0);
    }
}
