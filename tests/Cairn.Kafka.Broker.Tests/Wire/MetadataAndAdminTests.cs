using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Tests.Infrastructure;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Tests.Wire;

public sealed class MetadataAndAdminTests : WireTestBase
{
    [Fact]
    public async Task Metadata_auto_creates_only_when_allowed()
    {
        await using var broker = await TestBroker.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "3" });
        using var client = await broker.ConnectAsync();
        var denied = await MetadataAsync(client, 4, allowAutoCreate: false, "no-auto");
        denied.Topics.ShouldHaveSingleItem().ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        var created = await MetadataAsync(client, 9, allowAutoCreate: true, "auto");
        var topic = created.Topics.ShouldHaveSingleItem();
        topic.ErrorCode.ShouldBe((short)0);
        topic.Partitions.Count.ShouldBe(3);
        topic.Partitions.ShouldAllBe(p => p.LeaderId == 0 && p.ReplicaNodes.Count == 1 && p.IsrNodes.Count == 1);
        created.ControllerId.ShouldBe(0);
        created.ClusterId.ShouldNotBeNullOrEmpty();
        var invalid = await MetadataAsync(client, 4, true, "bad name");
        invalid.Topics[0].ErrorCode.ShouldBe(KafkaErrorCode.InvalidTopicException);
    }

    [Fact]
    public async Task Metadata_v0_empty_list_and_v1_null_mean_all_topics_besides_internal_ones()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "one");
        await MetadataAsync(client, 4, true, "two");
        (await client.RequestAsync<MetadataResponse>(ApiKey.Metadata, 0, new MetadataRequest { Topics = [] })).Topics.Count(t => t.Name != "__consumer_offsets").ShouldBe(2);
        (await client.RequestAsync<MetadataResponse>(ApiKey.Metadata, 1, new MetadataRequest { Topics = null })).Topics.Count(t => t.Name != "__consumer_offsets").ShouldBe(2);
        (await client.RequestAsync<MetadataResponse>(ApiKey.Metadata, 1, new MetadataRequest { Topics = [] })).Topics.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateTopics_validates_and_DeleteTopics_removes_the_logs()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        var request = new CreateTopicsRequest();
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "good", NumPartitions = 2, ReplicationFactor = 1 });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "rf3", NumPartitions = 1, ReplicationFactor = 3 });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "..", NumPartitions = 1, ReplicationFactor = 1 });
        request.Topics.Add(new CreateTopicsRequest.CreatableTopic { Name = "cfg", NumPartitions = 1, ReplicationFactor = -1, Configs = [new() { Name = "retention.ms", Value = "-5" }] });
        var response = await client.RequestAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 7, request);
        response.Topics.Select(t => (t.Name, t.ErrorCode)).ShouldBe([
            ("good", (short)0), ("rf3", KafkaErrorCode.InvalidReplicationFactor), ("..", KafkaErrorCode.InvalidTopicException), ("cfg", KafkaErrorCode.InvalidConfig)]);
        var good = response.Topics[0];
        good.NumPartitions.ShouldBe(2);
        good.TopicId.ShouldNotBe(Guid.Empty);
        good.Configs.ShouldNotBeNull().ShouldContain(c => c.Name == "retention.ms" && c.Value == "604800000");
        Directory.Exists(Path.Combine(broker.DataDir, "good-1")).ShouldBeTrue();

        var again = await client.RequestAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 3, new CreateTopicsRequest { Topics = [new() { Name = "good", NumPartitions = 1, ReplicationFactor = 1 }] });
        again.Topics[0].ErrorCode.ShouldBe(KafkaErrorCode.TopicAlreadyExists);

        var deleted = await client.RequestAsync<DeleteTopicsResponse>(ApiKey.DeleteTopics, 4, new DeleteTopicsRequest { TopicNames = ["good", "never"] });
        deleted.Responses.Select(r => (r.Name, r.ErrorCode)).ShouldBe([("good", (short)0), ("never", KafkaErrorCode.UnknownTopicOrPartition)]);
        Directory.Exists(Path.Combine(broker.DataDir, "good-1")).ShouldBeFalse();
        (await MetadataAsync(client, 4, false, "good")).Topics[0].ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
    }

    [Fact]
    public async Task DescribeConfigs_shows_overrides_and_defaults_and_AlterConfigs_changes_them()
    {
        await using var broker = await TestBroker.StartAsync(new Dictionary<string, string> { ["log.retention.hours"] = "1" });
        using var client = await broker.ConnectAsync();
        await CreateTopicAsync(client, "t", 1, ("segment.bytes", "1048576"));
        async Task<List<DescribeConfigsResponse.DescribeConfigsResourceResult>> Describe(short version)
        {
            var response = await client.RequestAsync<DescribeConfigsResponse>(ApiKey.DescribeConfigs, version, new DescribeConfigsRequest
            {
                IncludeSynonyms = true,
                Resources = [new() { ResourceType = 2, ResourceName = "t", ConfigurationKeys = null }],
            });
            response.Results[0].ErrorCode.ShouldBe((short)0);
            return response.Results[0].Configs;
        }

        var configs = await Describe(4);
        configs.Single(c => c.Name == "segment.bytes").ShouldSatisfyAllConditions(c => c.Value.ShouldBe("1048576"), c => c.ConfigSource.ShouldBe((sbyte)1));
        configs.Single(c => c.Name == "retention.ms").ShouldSatisfyAllConditions(c => c.Value.ShouldBe("3600000"), c => c.ConfigSource.ShouldBe((sbyte)4));
        configs.Single(c => c.Name == "cleanup.policy").ShouldSatisfyAllConditions(c => c.Value.ShouldBe("delete"), c => c.ConfigSource.ShouldBe((sbyte)5));
        (await Describe(0)).Single(c => c.Name == "cleanup.policy").IsDefault.ShouldBeTrue();

        var alter = await client.RequestAsync<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, new IncrementalAlterConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = "t", Configs = [new() { Name = "retention.ms", Value = "1234", ConfigOperation = 0 }] }],
        });
        alter.Responses[0].ErrorCode.ShouldBe((short)0);
        (await Describe(2)).Single(c => c.Name == "retention.ms").Value.ShouldBe("1234");

        var replace = await client.RequestAsync<AlterConfigsResponse>(ApiKey.AlterConfigs, 1, new AlterConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = "t", Configs = [new() { Name = "cleanup.policy", Value = "compact" }] }],
        });
        replace.Responses[0].ErrorCode.ShouldBe((short)0);
        var after = await Describe(1);
        after.Single(c => c.Name == "cleanup.policy").Value.ShouldBe("compact");
        after.Single(c => c.Name == "segment.bytes").Value.ShouldBe("1073741824", "AlterConfigs replaces the whole override set");

        var broken = await client.RequestAsync<AlterConfigsResponse>(ApiKey.AlterConfigs, 0, new AlterConfigsRequest
        {
            Resources = [new() { ResourceType = 2, ResourceName = "t", Configs = [new() { Name = "no.such", Value = "1" }] }],
        });
        broken.Responses[0].ErrorCode.ShouldBe(KafkaErrorCode.InvalidConfig);
    }

    [Fact]
    public async Task DescribeConfigs_of_the_broker_lists_static_and_default_values()
    {
        await using var broker = await TestBroker.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "5" });
        using var client = await broker.ConnectAsync();
        var response = await client.RequestAsync<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 1, new DescribeConfigsRequest
        {
            Resources = [new() { ResourceType = 4, ResourceName = "0", ConfigurationKeys = ["num.partitions", "message.max.bytes"] }],
        });
        var configs = response.Results[0].Configs;
        configs.Count.ShouldBe(2);
        configs.Single(c => c.Name == "num.partitions").ShouldSatisfyAllConditions(c => c.Value.ShouldBe("5"), c => c.ConfigSource.ShouldBe((sbyte)4));
        configs.Single(c => c.Name == "message.max.bytes").ShouldSatisfyAllConditions(c => c.Value.ShouldBe("1048588"), c => c.ConfigSource.ShouldBe((sbyte)5));
    }

    [Fact]
    public async Task CreatePartitions_and_DescribeCluster()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await CreateTopicAsync(client, "t", 1);
        var grown = await client.RequestAsync<CreatePartitionsResponse>(ApiKey.CreatePartitions, 1, new CreatePartitionsRequest
        {
            TimeoutMs = 1000,
            Topics = [new() { Name = "t", Count = 3, Assignments = null }],
        });
        grown.Results[0].ErrorCode.ShouldBe((short)0);
        (await MetadataAsync(client, 4, false, "t")).Topics[0].Partitions.Count.ShouldBe(3);
        (await ProduceAsync(client, "t", 2, TestBatches.Values(1, "p2"))).ErrorCode.ShouldBe((short)0);

        var cluster = await client.RequestAsync<DescribeClusterResponse>(ApiKey.DescribeCluster, 0, new DescribeClusterRequest());
        cluster.Brokers.ShouldHaveSingleItem().Port.ShouldBe(broker.Port);
        cluster.ControllerId.ShouldBe(0);
    }
}
