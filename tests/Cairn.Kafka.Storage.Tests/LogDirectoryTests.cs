using Cairn.Kafka.Storage.Configuration;
using Cairn.Testing;

namespace Cairn.Kafka.Storage.Tests;

public class LogDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose() => _dir.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task Partitions_and_their_configs_survive_a_restart()
    {
        LogConfig.TryParse([new("retention.ms", "12345")], LogConfig.Default, out var custom, out _).ShouldBeTrue();
        await using (var logs = LogDirectory.Open(_dir.Path, LogConfig.Default, time: _time))
        {
            var a = logs.GetOrCreate("orders.v1-x", 0, custom);
            logs.GetOrCreate("orders.v1-x", 0).ShouldBeSameAs(a);
            a.Append(TestBatches.Values(0, 3)).IsSuccess.ShouldBeTrue();
            logs.GetOrCreate("b", 2).Append(TestBatches.Values(0, 1)).IsSuccess.ShouldBeTrue();
        }

        Directory.CreateDirectory(_dir.Sub("not a partition"));
        await using var reopened = LogDirectory.Open(_dir.Path, LogConfig.Default, time: _time);
        reopened.Partitions.Count.ShouldBe(2);
        reopened.TryGet("orders.v1-x", 0, out var log).ShouldBeTrue();
        log.LogEndOffset.ShouldBe(3);
        log.Config.RetentionMs.ShouldBe(12345);
        reopened.TryGet("b", 2, out var b).ShouldBeTrue();
        b.Config.RetentionMs.ShouldBe(LogConfig.Default.RetentionMs);
    }

    [Fact]
    public async Task Deleting_a_partition_renames_it_and_removes_the_files_after_the_delay()
    {
        await using var logs = LogDirectory.Open(_dir.Path, LogConfig.Default, new LogDirectoryOptions { FileDeleteDelay = TimeSpan.FromSeconds(60) }, _time);
        var log = logs.GetOrCreate("t", 0);
        log.Append(TestBatches.Values(0, 3)).IsSuccess.ShouldBeTrue();
        log.UpdateHighWatermark(3);
        var region = log.Read(0, 1 << 20).Region;

        logs.Delete("t", 0).ShouldBeTrue();
        logs.Delete("t", 0).ShouldBeFalse();
        logs.TryGet("t", 0, out _).ShouldBeFalse();
        Directory.Exists(_dir.Sub("t-0")).ShouldBeFalse();
        Directory.GetDirectories(_dir.Path, "t-0.*-delete").ShouldHaveSingleItem();
        log.Append(TestBatches.Values(3, 1)).Error.ShouldBe(StorageError.LogClosed);
        TestBatches.Decode(region.ToArray()).Count.ShouldBe(3);

        // A new partition of the same name starts empty.
        logs.GetOrCreate("t", 0).LogEndOffset.ShouldBe(0);

        logs.RunMaintenance();
        logs.PendingDeletions.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(61));
        logs.RunMaintenance();
        logs.PendingDeletions.ShouldBe(0);
        Directory.GetDirectories(_dir.Path, "t-0.*-delete").ShouldBeEmpty();
    }

    [Fact]
    public async Task Leftover_deleted_partitions_are_removed_at_open()
    {
        Directory.CreateDirectory(_dir.Sub("t-0.0123abc-delete"));
        await using var logs = LogDirectory.Open(_dir.Path, LogConfig.Default, time: _time);
        logs.Partitions.ShouldBeEmpty();
        Directory.Exists(_dir.Sub("t-0.0123abc-delete")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_background_loop_applies_retention_on_the_injected_clock()
    {
        var options = new LogDirectoryOptions { MaintenanceInterval = TimeSpan.FromSeconds(10) };
        await using var logs = LogDirectory.Open(_dir.Path, LogConfig.Default, options, _time);
        LogConfig.TryParse([new("retention.ms", "60000"), new("segment.bytes", "100")], LogConfig.Default, out var config, out _).ShouldBeTrue();
        var log = logs.GetOrCreate("t", 0, config);
        for (var i = 0; i < 4; i++)
        {
            log.Append(TestBatches.Values(i * 3, 3, Now)).IsSuccess.ShouldBeTrue();
        }

        logs.Start();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (log.LogStartOffset == 0 && DateTime.UtcNow < deadline)
        {
            // Each advance fires the loop's pending delay once it is scheduled; keep moving until it acted.
            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(20);
        }

        log.LogStartOffset.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Config_updates_apply_to_every_partition_of_the_topic_and_persist()
    {
        await using (var logs = LogDirectory.Open(_dir.Path, LogConfig.Default, time: _time))
        {
            logs.GetOrCreate("t", 0);
            logs.GetOrCreate("t", 1);
            LogConfig.TryParse([new("cleanup.policy", "compact")], LogConfig.Default, out var compact, out _).ShouldBeTrue();
            logs.UpdateConfig("t", compact);
            logs.Partitions.ShouldAllBe(p => p.Config.IsCompacted);
        }

        await using var reopened = LogDirectory.Open(_dir.Path, LogConfig.Default, time: _time);
        reopened.Partitions.Count.ShouldBe(2);
        reopened.Partitions.ShouldAllBe(p => p.Config.CleanupPolicy == CleanupPolicy.Compact);
    }
}
