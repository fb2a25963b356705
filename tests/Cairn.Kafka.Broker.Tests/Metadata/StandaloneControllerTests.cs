using Cairn.Kafka.Broker.Configuration;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Tests.Infrastructure;

namespace Cairn.Kafka.Broker.Tests.Metadata;

public sealed class StandaloneControllerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-controller-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private StandaloneController Start(Dictionary<string, string>? props = null) => new(TestBroker.Config(_dir, props));

    private static NewTopic Topic(string name, int partitions = -1, short rf = -1, params (string, string?)[] configs) =>
        new(name, partitions, rf, null, configs.Select(c => new KeyValuePair<string, string?>(c.Item1, c.Item2)).ToList());

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("ünïcode")]
    public async Task Illegal_topic_names_are_rejected(string name)
    {
        await using var controller = Start();
        var result = await controller.CreateTopicAsync(Topic(name), validateOnly: false);
        result.ErrorCode.ShouldBe(KafkaErrorCode.InvalidTopicException);
        controller.Image.Topics.ShouldBeEmpty();
    }

    [Fact]
    public async Task Names_up_to_249_characters_are_legal()
    {
        await using var controller = Start();
        (await controller.CreateTopicAsync(Topic(new string('a', 249)), false)).ErrorCode.ShouldBe(KafkaErrorCode.None);
        (await controller.CreateTopicAsync(Topic(new string('b', 250)), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidTopicException);
    }

    [Fact]
    public async Task Partitions_replication_and_configs_are_validated()
    {
        await using var controller = Start();
        (await controller.CreateTopicAsync(Topic("t", partitions: 0), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidPartitions);
        (await controller.CreateTopicAsync(Topic("t", rf: 3), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidReplicationFactor);
        (await controller.CreateTopicAsync(Topic("t", rf: 0), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidReplicationFactor);
        (await controller.CreateTopicAsync(Topic("t", configs: ("no.such.config", "1")), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidConfig);
        (await controller.CreateTopicAsync(Topic("t", configs: ("retention.ms", "soon")), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidConfig);
        (await controller.CreateTopicAsync(Topic("t", partitions: 3, rf: 1, ("retention.ms", "1000")), validateOnly: true)).ErrorCode.ShouldBe(KafkaErrorCode.None);
        controller.Image.Topics.ShouldBeEmpty("validate_only creates nothing");
    }

    [Fact]
    public async Task Default_partitions_come_from_num_partitions_and_duplicates_and_collisions_fail()
    {
        await using var controller = Start(new() { ["num.partitions"] = "3" });
        var created = await controller.CreateTopicAsync(Topic("a.b"), false);
        created.ErrorCode.ShouldBe(KafkaErrorCode.None);
        created.Topic!.Partitions.Length.ShouldBe(3);
        created.Topic.Partitions.ShouldAllBe(p => p.Leader == 0 && p.LeaderEpoch == 0);
        (await controller.CreateTopicAsync(Topic("a.b"), false)).ErrorCode.ShouldBe(KafkaErrorCode.TopicAlreadyExists);
        (await controller.CreateTopicAsync(Topic("a_b"), false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidTopicException);
    }

    [Fact]
    public async Task Metadata_survives_a_restart()
    {
        Guid id;
        string clusterId;
        await using (var controller = Start())
        {
            var created = await controller.CreateTopicAsync(Topic("orders", 2, 1, ("retention.ms", "1000")), false);
            id = created.Topic!.TopicId;
            clusterId = controller.Image.ClusterId;
            (await controller.AlterTopicConfigsAsync("orders", [new("cleanup.policy", "compact", ConfigOperation.Set)], replaceAll: false, validateOnly: false)).ErrorCode.ShouldBe(KafkaErrorCode.None);
            (await controller.CreatePartitionsAsync("orders", 4, null, false)).ErrorCode.ShouldBe(KafkaErrorCode.None);
            await controller.CreateTopicAsync(Topic("gone"), false);
            (await controller.DeleteTopicAsync("gone")).ErrorCode.ShouldBe(KafkaErrorCode.None);
        }

        await using var restarted = Start();
        restarted.Image.ClusterId.ShouldBe(clusterId);
        restarted.Image.ClusterId.Length.ShouldBe(22);
        var topic = restarted.FindTopic("orders").ShouldNotBeNull();
        topic.TopicId.ShouldBe(id);
        topic.Partitions.Length.ShouldBe(4);
        topic.Configs["retention.ms"].ShouldBe("1000");
        topic.Configs["cleanup.policy"].ShouldBe("compact");
        restarted.FindTopic("gone").ShouldBeNull();
    }

    [Fact]
    public async Task Alter_configs_replace_or_increment()
    {
        await using var controller = Start();
        await controller.CreateTopicAsync(Topic("t", 1, 1, ("retention.ms", "1000"), ("segment.bytes", "100000")), false);
        await controller.AlterTopicConfigsAsync("t", [new("retention.ms", null, ConfigOperation.Delete), new("cleanup.policy", "compact", ConfigOperation.Append)], false, false);
        controller.FindTopic("t")!.Configs.ShouldBe(new Dictionary<string, string> { ["segment.bytes"] = "100000", ["cleanup.policy"] = "delete,compact" }, ignoreOrder: true);
        await controller.AlterTopicConfigsAsync("t", [new("retention.ms", "5", ConfigOperation.Set)], replaceAll: true, false);
        controller.FindTopic("t")!.Configs.ShouldBe(new Dictionary<string, string> { ["retention.ms"] = "5" }, ignoreOrder: true);
        (await controller.AlterTopicConfigsAsync("nope", [], false, false)).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        (await controller.AlterTopicConfigsAsync("t", [new("retention.ms", "x", ConfigOperation.Set)], false, false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidConfig);
    }

    [Fact]
    public async Task Partitions_only_grow()
    {
        await using var controller = Start();
        await controller.CreateTopicAsync(Topic("t", 2, 1), false);
        (await controller.CreatePartitionsAsync("t", 2, null, false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidPartitions);
        (await controller.CreatePartitionsAsync("t", 1, null, false)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidPartitions);
        (await controller.CreatePartitionsAsync("t", 3, null, false)).Topic!.Partitions.Length.ShouldBe(3);
    }

    [Fact]
    public async Task Auto_creation_follows_the_broker_setting()
    {
        await using (var controller = Start())
        {
            (await controller.GetOrCreateTopicAsync("auto", allowAutoCreate: true)).Topic.ShouldNotBeNull();
            (await controller.GetOrCreateTopicAsync("not-allowed", allowAutoCreate: false)).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        }

        await using var disabled = Start(new() { ["auto.create.topics.enable"] = "false" });
        (await disabled.GetOrCreateTopicAsync("other", allowAutoCreate: true)).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        (await disabled.GetOrCreateTopicAsync("auto", allowAutoCreate: true)).Topic.ShouldNotBeNull();
    }
}
