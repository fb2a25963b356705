using Cairn.Kafka.Storage.Configuration;

namespace Cairn.Kafka.Storage.Tests;

public class LogConfigTests
{
    [Fact]
    public void Defaults_are_kafkas()
    {
        var c = LogConfig.Default;
        c.SegmentBytes.ShouldBe(1073741824);
        c.SegmentMs.ShouldBe(604800000);
        c.RetentionMs.ShouldBe(604800000);
        c.RetentionBytes.ShouldBe(-1);
        c.CleanupPolicy.ShouldBe(CleanupPolicy.Delete);
        c.MaxMessageBytes.ShouldBe(1048588);
        c.FlushMessages.ShouldBe(long.MaxValue);
        c.FlushMs.ShouldBe(long.MaxValue);
        c.IndexIntervalBytes.ShouldBe(4096);
        c.SegmentIndexBytes.ShouldBe(10485760);
        c.MinInsyncReplicas.ShouldBe(1);
        c.DeleteRetentionMs.ShouldBe(86400000);
        c.MinCleanableDirtyRatio.ShouldBe(0.5);
        c.MessageTimestampType.ShouldBe(MessageTimestampType.CreateTime);
        c.CompressionType.ShouldBe("producer");
    }

    [Fact]
    public void Overrides_parse_and_are_remembered()
    {
        LogConfig.TryParse(
            [new("retention.ms", "1000"), new("cleanup.policy", "compact,delete"), new("min.cleanable.dirty.ratio", "0.1"), new("message.timestamp.type", "LogAppendTime")],
            LogConfig.Default,
            out var config,
            out var error).ShouldBeTrue(error);
        config.RetentionMs.ShouldBe(1000);
        config.CleanupPolicy.ShouldBe(CleanupPolicy.Compact | CleanupPolicy.Delete);
        config.MinCleanableDirtyRatio.ShouldBe(0.1);
        config.MessageTimestampType.ShouldBe(MessageTimestampType.LogAppendTime);
        config.Overrides.Keys.ShouldBe(["retention.ms", "cleanup.policy", "min.cleanable.dirty.ratio", "message.timestamp.type"], ignoreOrder: true);
        config.GetValue("cleanup.policy").ShouldBe("compact,delete");
        config.Describe().ShouldContain(("segment.bytes", "1073741824", false));
        config.Describe().ShouldContain(("retention.ms", "1000", true));
    }

    [Theory]
    [InlineData("no.such.key", "1", "Unknown topic config name")]
    [InlineData("retention.ms", "soon", "Invalid value soon for configuration retention.ms")]
    [InlineData("segment.bytes", "10", "Invalid value 10 for configuration segment.bytes")]
    [InlineData("cleanup.policy", "archive", "Invalid value archive")]
    [InlineData("min.cleanable.dirty.ratio", "2", "Invalid value 2")]
    [InlineData("message.timestamp.type", "Now", "Invalid value Now")]
    [InlineData("compression.type", "zstd", "Invalid value zstd")]
    public void Invalid_overrides_fail_with_a_message_naming_the_key(string key, string value, string message)
    {
        LogConfig.TryParse([new(key, value)], LogConfig.Default, out var config, out var error).ShouldBeFalse();
        error.ShouldNotBeNull().ShouldContain(message);
        config.ShouldBe(LogConfig.Default);
    }

    [Fact]
    public void Broker_properties_map_to_topic_defaults_with_kafkas_precedence()
    {
        LogConfig.TryParseBrokerDefaults(
            [new("log.retention.hours", "1"), new("log.segment.bytes", "1048576"), new("message.max.bytes", "2000000"), new("num.partitions", "4"), new("log.roll.hours", "2")],
            out var config,
            out var error).ShouldBeTrue(error);
        config.RetentionMs.ShouldBe(3_600_000);
        config.SegmentBytes.ShouldBe(1048576);
        config.MaxMessageBytes.ShouldBe(2000000);
        config.SegmentMs.ShouldBe(7_200_000);
        config.Overrides.ShouldBeEmpty();

        LogConfig.TryParseBrokerDefaults([new("log.retention.hours", "1"), new("log.retention.ms", "5")], out config, out _).ShouldBeTrue();
        config.RetentionMs.ShouldBe(5);
        LogConfig.TryParseBrokerDefaults([new("log.retention.hours", "x")], out _, out error).ShouldBeFalse();
        error.ShouldNotBeNull();
    }
}
