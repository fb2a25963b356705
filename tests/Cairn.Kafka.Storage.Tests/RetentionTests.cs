using Cairn.Kafka.Storage.Configuration;
using Cairn.Testing;

namespace Cairn.Kafka.Storage.Tests;

public class RetentionTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _dir.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public void Time_retention_deletes_whole_old_segments_but_never_the_active_one()
    {
        // Values v10..v29: every batch has the same size.
        var batch = TestBatches.Values(10, 2).Length;
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { SegmentBytes = batch * 2, RetentionMs = 60_000 }, _time);
        for (var i = 0; i < 6; i++)
        {
            log.Append(TestBatches.Values(10 + (i * 2), 2, Now)).IsSuccess.ShouldBeTrue();
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 6; i < 10; i++)
        {
            log.Append(TestBatches.Values(10 + (i * 2), 2, Now)).IsSuccess.ShouldBeTrue();
        }

        log.UpdateHighWatermark(log.LogEndOffset);
        log.SegmentBaseOffsets().ShouldBe([0, 4, 8, 12, 16]);
        log.RunMaintenance().ShouldBe(0);

        _time.Advance(TimeSpan.FromSeconds(31));
        log.RunMaintenance().ShouldBe(3);
        log.SegmentBaseOffsets().ShouldBe([12, 16]);
        log.LogStartOffset.ShouldBe(12);
        log.Read(11, 100).Error.ShouldBe(StorageError.OffsetOutOfRange);
        TestBatches.Decode(log.ReadBytes(12, 1 << 20)).First().Value.ShouldBe("v22");
        log.LookupOffset(OffsetLookupResult.Earliest).Offset.ShouldBe(12);
        Directory.GetFiles(_dir.Sub("t-0"), "*.log").Length.ShouldBe(2);

        // Once everything is old, the active segment is rolled so an idle topic empties too.
        _time.Advance(TimeSpan.FromMinutes(2));
        log.RunMaintenance().ShouldBeGreaterThan(0);
        log.LogStartOffset.ShouldBe(20);
        log.LogEndOffset.ShouldBe(20);
        log.Append(TestBatches.Values(20, 1, Now)).BaseOffset.ShouldBe(20);
    }

    [Fact]
    public void Size_retention_keeps_the_partition_under_retention_bytes()
    {
        var batch = TestBatches.Values(10, 2).Length;
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { SegmentBytes = batch * 2, RetentionBytes = batch * 5 }, _time);
        for (var i = 5; i < 25; i++)
        {
            log.Append(TestBatches.Values(i * 2, 2, Now)).IsSuccess.ShouldBeTrue();
        }

        log.SizeInBytes.ShouldBe(batch * 20);
        // Kafka's rule: delete the oldest while what remains is still ≥ retention.bytes.
        log.RunMaintenance().ShouldBe(7);
        log.SizeInBytes.ShouldBe(batch * 6);
        log.LogStartOffset.ShouldBe(28);
    }

    [Fact]
    public void Compact_only_topics_are_not_deleted_by_retention()
    {
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { SegmentBytes = 100, RetentionMs = 1, CleanupPolicy = CleanupPolicy.Compact }, _time);
        for (var i = 0; i < 5; i++)
        {
            log.Append(TestBatches.Values(i, 1, Now, key: "k")).IsSuccess.ShouldBeTrue();
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        log.RunMaintenance().ShouldBe(0);
        log.LogStartOffset.ShouldBe(0);
    }

    [Fact]
    public void A_region_of_a_deleted_segment_stays_readable_until_the_delete_delay()
    {
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { SegmentBytes = 100, RetentionMs = 1000 }, _time);
        log.Append(TestBatches.Values(0, 3, Now)).IsSuccess.ShouldBeTrue();
        log.Append(TestBatches.Values(3, 3, Now)).IsSuccess.ShouldBeTrue();
        log.UpdateHighWatermark(6);
        var region = log.Read(0, 1 << 20).Region;
        _time.Advance(TimeSpan.FromSeconds(2));
        log.RunMaintenance().ShouldBeGreaterThan(0);
        TestBatches.Decode(region.ToArray()).First().Value.ShouldBe("v0");
    }
}
