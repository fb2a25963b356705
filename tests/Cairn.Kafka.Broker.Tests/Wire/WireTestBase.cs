using Cairn.Kafka.Broker.Tests.Infrastructure;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Tests.Wire;

/// <summary>Helpers shared by tests that talk to an in-process broker with raw requests.</summary>
public abstract class WireTestBase
{
    protected static async Task<ProduceResponse.PartitionProduceResponse> ProduceAsync(KafkaTestClient client, string topic, int partition, byte[] batch, short acks = -1, short version = 7)
    {
        var request = new ProduceRequest { Acks = acks, TimeoutMs = 30000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = batch }],
        });
        var response = await client.RequestAsync<ProduceResponse>(ApiKey.Produce, version, request);
        return response.Responses.ShouldHaveSingleItem().PartitionResponses.ShouldHaveSingleItem();
    }

    protected static FetchRequest FetchRequest(string topic, int partition, long offset, int maxWaitMs = 0, int minBytes = 1, int partitionMaxBytes = 1 << 20)
    {
        var request = new FetchRequest { MaxWaitMs = maxWaitMs, MinBytes = minBytes, MaxBytes = 50 << 20, ReplicaId = -1 };
        request.Topics.Add(new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes }],
        });
        return request;
    }

    protected static async Task<FetchResponse.PartitionData> FetchAsync(KafkaTestClient client, string topic, int partition, long offset, short version = 11, int maxWaitMs = 0)
    {
        var response = await client.RequestAsync<FetchResponse>(ApiKey.Fetch, version, FetchRequest(topic, partition, offset, maxWaitMs));
        return response.Responses.ShouldHaveSingleItem().Partitions.ShouldHaveSingleItem();
    }

    protected static async Task<MetadataResponse> MetadataAsync(KafkaTestClient client, short version, bool allowAutoCreate, params string[] topics)
    {
        var request = new MetadataRequest { AllowAutoTopicCreation = allowAutoCreate, Topics = [] };
        foreach (var t in topics)
        {
            request.Topics.Add(new MetadataRequest.MetadataRequestTopic { Name = t });
        }

        return await client.RequestAsync<MetadataResponse>(ApiKey.Metadata, version, request);
    }

    protected static async Task CreateTopicAsync(KafkaTestClient client, string name, int partitions, params (string, string)[] configs)
    {
        var request = new CreateTopicsRequest();
        var topic = new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 };
        foreach (var (k, v) in configs)
        {
            topic.Configs.Add(new CreateTopicsRequest.CreatableTopicConfig { Name = k, Value = v });
        }

        request.Topics.Add(topic);
        var response = await client.RequestAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 7, request);
        response.Topics.ShouldHaveSingleItem().ErrorCode.ShouldBe((short)0);
    }
}
