using Cairn.Kafka.Broker.Configuration;

namespace Cairn.Kafka.Broker.Tests.Configuration;

public sealed class BrokerConfigTests
{
    [Fact]
    public void Properties_files_follow_java_syntax()
    {
        var parsed = PropertiesFile.Parse("""
            # comment
            ! also a comment
            num.partitions=4
            log.dirs : /var/kafka
            auto.create.topics.enable false
            listeners=PLAINTEXT://0.0.0.0:9093,\
              SSL://0.0.0.0:9094
            message.max.bytes = 2000000
            """);
        parsed["num.partitions"].ShouldBe("4");
        parsed["log.dirs"].ShouldBe("/var/kafka");
        parsed["auto.create.topics.enable"].ShouldBe("false");
        parsed["listeners"].ShouldBe("PLAINTEXT://0.0.0.0:9093,SSL://0.0.0.0:9094");
        parsed["message.max.bytes"].ShouldBe("2000000");
        parsed.Count.ShouldBe(5);
    }

    [Fact]
    public void Defaults_are_kafkas()
    {
        var config = BrokerConfig.Default("/tmp/x");
        config.NumPartitions.ShouldBe(1);
        config.AutoCreateTopicsEnable.ShouldBeTrue();
        config.MessageMaxBytes.ShouldBe(1048588);
        config.SocketRequestMaxBytes.ShouldBe(104857600);
        config.NodeId.ShouldBe(0);
        config.OffsetsTopicNumPartitions.ShouldBe(50);
        config.ResolveTopicConfig("retention.ms", null).ShouldBe("604800000");
        config.ResolveTopicConfig("segment.bytes", null).ShouldBe("1073741824");
    }

    [Fact]
    public void Broker_synonyms_set_topic_defaults_with_hours_converted()
    {
        BrokerConfig.TryCreate(new Dictionary<string, string> { ["log.retention.hours"] = "2", ["message.max.bytes"] = "500" }, out var config, out _).ShouldBeTrue();
        KafkaConfigCatalog.TryGetTopic("retention.ms", out var retention).ShouldBeTrue();
        config.ResolveTopicConfig(retention, null).ShouldBe(("7200000", ConfigSource.StaticBrokerConfig));
        config.ResolveTopicConfig("max.message.bytes", null).ShouldBe("500");
        var overrides = new Dictionary<string, string> { ["retention.ms"] = "1000" };
        config.ResolveTopicConfig(retention, overrides).ShouldBe(("1000", ConfigSource.DynamicTopicConfig));
    }

    [Fact]
    public void Ms_wins_over_hours_like_kafka()
    {
        BrokerConfig.TryCreate(new Dictionary<string, string> { ["log.retention.hours"] = "2", ["log.retention.ms"] = "5000" }, out var config, out _).ShouldBeTrue();
        config.ResolveTopicConfig("retention.ms", null).ShouldBe("5000");
    }

    [Theory]
    [InlineData("num.partitions", "zero")]
    [InlineData("num.partitions", "0")]
    [InlineData("auto.create.topics.enable", "maybe")]
    [InlineData("log.cleanup.policy", "shred")]
    public void Invalid_values_of_known_keys_are_errors(string key, string value)
    {
        BrokerConfig.TryCreate(new Dictionary<string, string> { [key] = value }, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNull().ShouldContain(key);
    }

    [Fact]
    public void Unknown_keys_only_warn()
    {
        BrokerConfig.TryCreate(new Dictionary<string, string> { ["zookeeper.connect"] = "localhost:2181" }, out var config, out _).ShouldBeTrue();
        config.Warnings.ShouldHaveSingleItem().ShouldContain("zookeeper.connect");
    }

    [Fact]
    public void Listeners_give_host_and_port_and_flags_override_them()
    {
        BrokerConfig.TryCreate(new Dictionary<string, string> { ["listeners"] = "PLAINTEXT://127.0.0.2:9999", ["advertised.listeners"] = "PLAINTEXT://kafka.example:19999" }, out var config, out _).ShouldBeTrue();
        config.Host.ShouldBe("127.0.0.2");
        config.Port.ShouldBe(9999);
        config.AdvertisedHost.ShouldBe("kafka.example");
        config.AdvertisedPort.ShouldBe(19999);
        BrokerConfig.TryCreate(new Dictionary<string, string> { ["listeners"] = "PLAINTEXT://127.0.0.2:9999", ["cairn.port"] = "1234" }, out var flagged, out _).ShouldBeTrue();
        flagged.Port.ShouldBe(1234);
    }
}
