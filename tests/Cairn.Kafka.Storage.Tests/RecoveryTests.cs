using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage.Configuration;
using Cairn.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Kafka.Storage.Tests;

public class RecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _dir.Dispose();

    public enum Damage
    {
        Truncate,
        FlipByte,
        DeleteIndexes,
        GarbageIndexes,
    }

    public sealed record Scenario(int[] BatchSizes, int SegmentBytes, Damage Damage, int SegmentChoice, double Where, byte Xor);

    private static readonly Gen<Scenario> Scenarios =
        from sizes in Gen.Choose(1, 6).ArrayOf().Where(a => a.Length is > 0 and <= 40)
        from segmentBytes in Gen.Choose(150, 1500)
        from damage in Gen.Elements(Damage.Truncate, Damage.FlipByte, Damage.DeleteIndexes, Damage.GarbageIndexes)
        from segment in Gen.Choose(0, 1000)
        from fraction in Gen.Choose(0, 10_000)
        from xor in Gen.Choose(1, 255)
        select new Scenario(sizes, segmentBytes, damage, segment, fraction / 10_000.0, (byte)xor);

    [Fact]
    public void Every_batch_before_the_damage_is_served_at_the_same_offset_after_a_crash() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario => RunScenario(scenario))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    private bool RunScenario(Scenario scenario)
    {
        var run = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N"));
        var live = Path.Combine(run, "live", "t-0");
        var crashed = Path.Combine(run, "crashed", "t-0");
        var config = LogConfig.Default with { SegmentBytes = scenario.SegmentBytes, IndexIntervalBytes = 64 };
        var expected = new Dictionary<long, string?>();
        using (var log = PartitionLog.Open(live, "t", 0, config, _time))
        {
            var next = 0;
            foreach (var size in scenario.BatchSizes)
            {
                log.Append(TestBatches.Values(next, size)).IsSuccess.ShouldBeTrue();
                next += size;
            }

            // A process crash: the files as they are in the page cache, no clean shutdown.
            Directory.CreateDirectory(crashed);
            foreach (var file in Directory.GetFiles(live))
            {
                File.Copy(file, Path.Combine(crashed, Path.GetFileName(file)));
            }
        }

        var logs = Directory.GetFiles(crashed, "*.log").Order(StringComparer.Ordinal).ToArray();
        var damaged = logs[scenario.SegmentChoice % logs.Length];
        var damagedLength = new FileInfo(damaged).Length;
        var position = (long)(scenario.Where * damagedLength);
        var before = true;
        foreach (var file in logs)
        {
            var bytes = File.ReadAllBytes(file);
            var cut = file == damaged && scenario.Damage is Damage.Truncate or Damage.FlipByte ? position : bytes.Length;
            for (var at = 0; at < bytes.Length;)
            {
                RecordBatchHeader.TryRead(bytes.AsSpan(at), out var header).ShouldBeTrue();
                if (before && at + header.TotalSize <= cut)
                {
                    foreach (var record in TestBatches.Decode(bytes.AsSpan(at, header.TotalSize)))
                    {
                        expected[record.Offset] = record.Value;
                    }
                }
                else
                {
                    before = false;
                }

                at += header.TotalSize;
            }
        }

        switch (scenario.Damage)
        {
            case Damage.Truncate:
                using (var stream = new FileStream(damaged, FileMode.Open))
                {
                    stream.SetLength(position);
                }

                break;
            case Damage.FlipByte when damagedLength > 0:
                var content = File.ReadAllBytes(damaged);
                content[Math.Min(position, damagedLength - 1)] ^= scenario.Xor;
                File.WriteAllBytes(damaged, content);
                break;
            case Damage.DeleteIndexes:
                foreach (var file in Directory.GetFiles(crashed, "*index"))
                {
                    File.Delete(file);
                }

                break;
            case Damage.GarbageIndexes:
                foreach (var file in Directory.GetFiles(crashed, "*index"))
                {
                    var garbage = new byte[24];
                    new Random(scenario.Xor).NextBytes(garbage);
                    File.WriteAllBytes(file, garbage);
                }

                break;
        }

        using var recovered = PartitionLog.Open(crashed, "t", 0, config, _time);
        var served = new Dictionary<long, string?>();
        var offset = recovered.LogStartOffset;
        while (offset < recovered.HighWatermark)
        {
            var records = TestBatches.Decode(recovered.ReadBytes(offset, 1 << 20));
            records.ShouldNotBeEmpty();
            foreach (var record in records)
            {
                served[record.Offset] = record.Value;
            }

            offset = records[^1].Offset + 1;
        }

        foreach (var (o, value) in expected)
        {
            served.ShouldContainKey(o);
            served[o].ShouldBe(value);
        }

        // Still appendable, right after what survived.
        var appended = recovered.Append(TestBatches.Values(0, 1));
        appended.IsSuccess.ShouldBeTrue();
        appended.BaseOffset.ShouldBe(recovered.LogEndOffset - 1);
        Directory.Delete(run, recursive: true);
        return true;
    }

    [Fact]
    public void A_torn_tail_is_truncated_and_reported_records_stay_at_their_offsets()
    {
        var live = _dir.Sub("t-0");
        using (var log = PartitionLog.Open(live, "t", 0, LogConfig.Default, _time))
        {
            log.Append(TestBatches.Values(0, 3)).IsSuccess.ShouldBeTrue();
            log.Append(TestBatches.Values(3, 3)).IsSuccess.ShouldBeTrue();
        }

        // Simulate a crash during a later write: half a batch at the end, checkpoint not clean.
        var segment = Path.Combine(live, "00000000000000000000.log");
        var partial = TestBatches.Values(6, 3)[..40];
        using (var stream = new FileStream(segment, FileMode.Append))
        {
            stream.Write(partial);
        }

        File.WriteAllText(Path.Combine(live, "partition.checkpoint"), "recovery.point=0\nlog.start.offset=0\nclean.shutdown=false\n");
        var sizeBefore = new FileInfo(segment).Length;

        using var recovered = PartitionLog.Open(live, "t", 0, LogConfig.Default, _time);
        recovered.LogEndOffset.ShouldBe(6);
        new FileInfo(segment).Length.ShouldBe(sizeBefore - 40);
        TestBatches.Decode(recovered.ReadBytes(0, 1 << 20)).Select(r => r.Value).ShouldBe(["v0", "v1", "v2", "v3", "v4", "v5"]);
    }

    [Fact]
    public void Missing_indexes_of_a_cleanly_closed_log_are_rebuilt()
    {
        var live = _dir.Sub("t-0");
        var config = LogConfig.Default with { SegmentBytes = 500, IndexIntervalBytes = 1 };
        using (var log = PartitionLog.Open(live, "t", 0, config, _time))
        {
            for (var i = 0; i < 40; i++)
            {
                log.Append(TestBatches.Values(i * 2, 2, 1000 + i)).IsSuccess.ShouldBeTrue();
            }
        }

        foreach (var file in Directory.GetFiles(live, "*index"))
        {
            File.Delete(file);
        }

        using var recovered = PartitionLog.Open(live, "t", 0, config, _time);
        recovered.LogEndOffset.ShouldBe(80);
        Directory.GetFiles(live, "*.index").Length.ShouldBe(recovered.SegmentCount);
        for (var offset = 0; offset < 80; offset += 3)
        {
            TestBatches.Decode(recovered.ReadBytes(offset, 1)).ShouldContain(r => r.Offset == offset && r.Value == "v" + offset);
        }

        recovered.LookupOffset(1020).Offset.ShouldBe(40);
    }

    [Fact]
    public void Flush_messages_advances_the_recovery_point()
    {
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { FlushMessages = 5 }, _time);
        log.Append(TestBatches.Values(0, 3)).IsSuccess.ShouldBeTrue();
        log.RecoveryPoint.ShouldBe(0);
        log.Append(TestBatches.Values(3, 3)).IsSuccess.ShouldBeTrue();
        log.RecoveryPoint.ShouldBe(6);
    }

    [Fact]
    public void Flush_ms_is_applied_by_maintenance_on_the_clock()
    {
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { FlushMs = 1000 }, _time);
        log.Append(TestBatches.Values(0, 3)).IsSuccess.ShouldBeTrue();
        log.RunMaintenance();
        log.RecoveryPoint.ShouldBe(0);
        _time.Advance(TimeSpan.FromSeconds(1));
        log.RunMaintenance();
        log.RecoveryPoint.ShouldBe(3);
    }

    [Fact]
    public void Rolled_segments_are_flushed_by_maintenance_like_kafka_flushes_on_roll()
    {
        using var log = PartitionLog.Open(_dir.Sub("t-0"), "t", 0, LogConfig.Default with { SegmentBytes = 200 }, _time);
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Values(i * 2, 2)).IsSuccess.ShouldBeTrue();
        }

        log.SegmentCount.ShouldBeGreaterThan(1);
        log.RunMaintenance();
        log.RecoveryPoint.ShouldBe(log.SegmentBaseOffsets()[^1]);
    }
}
