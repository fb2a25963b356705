using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Tests.Infrastructure;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Tests.Wire;

public sealed class ProduceFetchTests : WireTestBase
{
    private const long T0 = 1_700_000_000_000;

    [Theory]
    [InlineData(3, 4)]
    [InlineData(7, 11)]
    [InlineData(9, 12)]
    public async Task Produced_records_are_fetched_at_their_offsets(short produceVersion, short fetchVersion)
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, allowAutoCreate: true, "t");
        var first = await ProduceAsync(client, "t", 0, TestBatches.Values(T0, "a", "b"), version: produceVersion);
        first.ErrorCode.ShouldBe((short)0);
        first.BaseOffset.ShouldBe(0);
        var second = await ProduceAsync(client, "t", 0, TestBatches.Values(T0 + 1, "c"), version: produceVersion);
        second.BaseOffset.ShouldBe(2);

        var fetched = await FetchAsync(client, "t", 0, 0, fetchVersion);
        fetched.ErrorCode.ShouldBe((short)0);
        fetched.HighWatermark.ShouldBe(3);
        fetched.LastStableOffset.ShouldBe(3);
        fetched.LogStartOffset.ShouldBe(fetchVersion >= 5 ? 0 : -1, "log_start_offset exists from Fetch v5");
        TestBatches.Read(fetched.Records!.Value.Span).ShouldBe([(0L, "a"), (1L, "b"), (2L, "c")]);

        var fromMiddle = await FetchAsync(client, "t", 0, 2, fetchVersion);
        TestBatches.Read(fromMiddle.Records!.Value.Span).ShouldContain((2L, "c"));
        (await FetchAsync(client, "t", 0, 3, fetchVersion)).Records!.Value.Length.ShouldBe(0);
        (await FetchAsync(client, "t", 0, 4, fetchVersion)).ErrorCode.ShouldBe(KafkaErrorCode.OffsetOutOfRange);
    }

    [Fact]
    public async Task Unknown_topics_and_partitions_and_bad_acks_are_reported_per_partition()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        (await ProduceAsync(client, "missing", 0, TestBatches.Values(T0, "x"))).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        (await ProduceAsync(client, "t", 7, TestBatches.Values(T0, "x"))).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
        (await ProduceAsync(client, "t", 0, TestBatches.Values(T0, "x"), acks: 2)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidRequiredAcks);
        (await FetchAsync(client, "missing", 0, 0)).ErrorCode.ShouldBe(KafkaErrorCode.UnknownTopicOrPartition);
    }

    [Fact]
    public async Task Corrupt_and_oversized_batches_are_rejected_without_damaging_the_log()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await CreateTopicAsync(client, "small", 1, ("max.message.bytes", "200"));
        var corrupt = TestBatches.Values(T0, "hello");
        corrupt[^2] ^= 0xff;
        (await ProduceAsync(client, "small", 0, corrupt)).ErrorCode.ShouldBe(KafkaErrorCode.CorruptMessage);
        (await ProduceAsync(client, "small", 0, TestBatches.Values(T0, new string('x', 500)))).ErrorCode.ShouldBe(KafkaErrorCode.MessageTooLarge);
        var ok = await ProduceAsync(client, "small", 0, TestBatches.Values(T0, "fine"));
        ok.ErrorCode.ShouldBe((short)0);
        ok.BaseOffset.ShouldBe(0);
        TestBatches.Read((await FetchAsync(client, "small", 0, 0)).Records!.Value.Span).ShouldBe([(0L, "fine")]);
    }

    [Fact]
    public async Task Two_batches_in_one_partition_are_INVALID_RECORD()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        var two = TestBatches.Values(T0, "a").Concat(TestBatches.Values(T0, "b")).ToArray();
        (await ProduceAsync(client, "t", 0, two)).ErrorCode.ShouldBe(KafkaErrorCode.InvalidRecord);
    }

    [Fact]
    public async Task Acks_zero_gets_no_response_but_the_record_is_appended()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        var request = new ProduceRequest { Acks = 0, TimeoutMs = 1000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData { Name = "t", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = TestBatches.Values(T0, "quiet") }] });
        await client.SendAsync(ApiKey.Produce, 7, request);
        // The next answer on the connection belongs to the next request.
        var id = await client.SendAsync(ApiKey.Fetch, 11, FetchRequest("t", 0, 0));
        var fetched = await client.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, 11, id);
        TestBatches.Read(fetched.Responses[0].Partitions[0].Records!.Value.Span).ShouldBe([(0L, "quiet")]);
    }

    [Fact]
    public async Task Long_poll_fetch_is_woken_by_an_append()
    {
        await using var broker = await TestBroker.StartAsync();
        using var consumer = await broker.ConnectAsync();
        using var producer = await broker.ConnectAsync();
        await MetadataAsync(producer, 4, true, "t");
        // Wait up to 60 s for data at offset 0: only the append can end it with records.
        var id = await consumer.SendAsync(ApiKey.Fetch, 11, FetchRequest("t", 0, 0, maxWaitMs: 60_000));
        (await ProduceAsync(producer, "t", 0, TestBatches.Values(T0, "wake"))).ErrorCode.ShouldBe((short)0);
        var response = await consumer.ReadResponseAsync<FetchResponse>(ApiKey.Fetch, 11, id);
        TestBatches.Read(response.Responses[0].Partitions[0].Records!.Value.Span).ShouldBe([(0L, "wake")]);
    }

    [Fact]
    public async Task Long_poll_without_data_answers_empty_after_max_wait()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        var partition = await FetchAsync(client, "t", 0, 0, maxWaitMs: 50);
        partition.ErrorCode.ShouldBe((short)0);
        partition.Records!.Value.Length.ShouldBe(0);
        partition.HighWatermark.ShouldBe(0);
    }

    [Fact]
    public async Task The_first_batch_is_returned_even_above_max_bytes()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        await ProduceAsync(client, "t", 0, TestBatches.Values(T0, new string('x', 1000)));
        await ProduceAsync(client, "t", 0, TestBatches.Values(T0, "second"));
        var response = await client.RequestAsync<FetchResponse>(ApiKey.Fetch, 11, FetchRequest("t", 0, 0, partitionMaxBytes: 10));
        TestBatches.Read(response.Responses[0].Partitions[0].Records!.Value.Span).ShouldBe([(0L, new string('x', 1000))]);
    }

    [Fact]
    public async Task ListOffsets_finds_earliest_latest_and_by_timestamp()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        await MetadataAsync(client, 4, true, "t");
        await ProduceAsync(client, "t", 0, TestBatches.Values(T0, "a"));
        await ProduceAsync(client, "t", 0, TestBatches.Values(T0 + 1000, "b"));
        await ProduceAsync(client, "t", 0, TestBatches.Values(T0 + 2000, "c"));
        async Task<long> Lookup(long timestamp, short version = 2)
        {
            var request = new ListOffsetsRequest { ReplicaId = -1 };
            request.Topics.Add(new ListOffsetsRequest.ListOffsetsTopic { Name = "t", Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = timestamp }] });
            var response = await client.RequestAsync<ListOffsetsResponse>(ApiKey.ListOffsets, version, request);
            var p = response.Topics[0].Partitions[0];
            p.ErrorCode.ShouldBe((short)0);
            return p.Offset;
        }

        (await Lookup(-2)).ShouldBe(0);
        (await Lookup(-1)).ShouldBe(3);
        (await Lookup(T0 + 500)).ShouldBe(1);
        (await Lookup(T0 + 2000, version: 7)).ShouldBe(2);
        (await Lookup(T0 + 9999, version: 1)).ShouldBe(-1);
        (await Lookup(-3, version: 7)).ShouldBe(2);
    }

    [Fact]
    public async Task Records_survive_a_restart()
    {
        await using var broker = await TestBroker.StartAsync();
        using (var client = await broker.ConnectAsync())
        {
            await MetadataAsync(client, 4, true, "t");
            await ProduceAsync(client, "t", 0, TestBatches.Values(T0, "kept", "too"));
        }

        await broker.RestartAsync();
        using var again = await broker.ConnectAsync();
        var metadata = await MetadataAsync(again, 12, false, "t");
        metadata.Topics[0].ErrorCode.ShouldBe((short)0);
        metadata.Topics[0].TopicId.ShouldNotBe(Guid.Empty);
        TestBatches.Read((await FetchAsync(again, "t", 0, 0)).Records!.Value.Span).ShouldBe([(0L, "kept"), (1L, "too")]);
        (await ProduceAsync(again, "t", 0, TestBatches.Values(T0, "more"))).BaseOffset.ShouldBe(2);
    }
}
