using System.Buffers.Binary;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Broker.Tests.Infrastructure;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Tests.Wire;

public sealed class ApiVersionsAndFramingTests : WireTestBase
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task ApiVersions_lists_the_registered_table(short version)
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        var response = await client.RequestAsync<ApiVersionsResponse>(ApiKey.ApiVersions, version,
            new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.0.2" });
        response.ErrorCode.ShouldBe((short)0);
        var produce = response.ApiKeys.Single(k => k.ApiKey == (short)ApiKey.Produce);
        // librdkafka 2.0.2 compresses gzip/snappy/lz4 only when Produce v0 is in the advertised range.
        (produce.MinVersion, produce.MaxVersion).ShouldBe(((short)0, (short)9));
        var fetch = response.ApiKeys.Single(k => k.ApiKey == (short)ApiKey.Fetch);
        (fetch.MinVersion <= 4 && fetch.MaxVersion >= 10).ShouldBeTrue("librdkafka's MsgVer2 and zstd features need Fetch 4 and 10");
        response.ApiKeys.ShouldContain(k => k.ApiKey == (short)ApiKey.Metadata && k.MinVersion == 0);
        response.ApiKeys.ShouldNotContain(k => k.ApiKey == (short)ApiKey.SaslHandshake, "only implemented APIs are advertised");
    }

    [Fact]
    public async Task Unsupported_ApiVersions_version_gets_a_v0_body_with_error_35_and_the_table()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        // A future version: the broker cannot parse the body, so it answers v0 with header v0.
        var frame = KafkaTestClient.Encode(ApiKey.ApiVersions, 3, 77, new ApiVersionsRequest { ClientSoftwareName = "x", ClientSoftwareVersion = "1" });
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 99);
        await client.SendRawAsync(frame);
        var (correlationId, body) = await client.ReceiveAsync(headerVersion: 0);
        correlationId.ShouldBe(77);
        var reader = new KafkaReader(body);
        var response = new ApiVersionsResponse();
        response.Read(ref reader, 0);
        response.ErrorCode.ShouldBe(KafkaErrorCode.UnsupportedVersion);
        response.ApiKeys.ShouldContain(k => k.ApiKey == (short)ApiKey.ApiVersions && k.MaxVersion == 4);
        // The connection stays usable.
        (await client.RequestAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest())).ErrorCode.ShouldBe((short)0);
    }

    [Fact]
    public async Task Invalid_client_software_name_is_INVALID_REQUEST()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        var response = await client.RequestAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "bad name!", ClientSoftwareVersion = "1" });
        response.ErrorCode.ShouldBe(KafkaErrorCode.InvalidRequest);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        // Mixed APIs, written back to back in one send before reading anything.
        var frames = new List<byte>();
        for (var i = 1; i <= 20; i++)
        {
            frames.AddRange(i % 2 == 0
                ? KafkaTestClient.Encode(ApiKey.ApiVersions, 0, i, new ApiVersionsRequest())
                : KafkaTestClient.Encode(ApiKey.Metadata, 1, i, new MetadataRequest { Topics = [] }));
        }

        await client.SendRawAsync(frames.ToArray());
        for (var i = 1; i <= 20; i++)
        {
            var (correlationId, _) = await client.ReceiveAsync(0);
            correlationId.ShouldBe(i);
        }
    }

    [Fact]
    public async Task Flexible_responses_use_header_v1()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        var response = await client.RequestAsync<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
        response.Brokers.ShouldHaveSingleItem().Port.ShouldBe(broker.Port);
    }

    [Fact]
    public async Task Oversized_frames_close_the_connection_and_the_broker_keeps_serving()
    {
        await using var broker = await TestBroker.StartAsync(new Dictionary<string, string> { ["socket.request.max.bytes"] = "1000" });
        using (var client = await broker.ConnectAsync())
        {
            var frame = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(frame, 5000);
            await client.SendRawAsync(frame);
            (await client.IsClosedByPeerAsync()).ShouldBeTrue();
        }

        using var other = await broker.ConnectAsync();
        (await other.RequestAsync<ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest())).ErrorCode.ShouldBe((short)0);
    }

    [Theory]
    [InlineData(-1, 5000)] // negative size
    [InlineData(999, 0)]   // unknown API key
    [InlineData(0, 99)]    // Produce v99
    [InlineData(4, 0)]     // LeaderAndIsr: a known key the broker does not serve
    public async Task Unknown_apis_versions_and_bad_sizes_close_the_connection(short apiKey, short version)
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        byte[] frame;
        if (apiKey < 0)
        {
            frame = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(frame, -5);
        }
        else
        {
            frame = new byte[4 + 8 + 2];
            BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
            BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), apiKey);
            BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), version);
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), 1);
            BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(12), -1);
        }

        await client.SendRawAsync(frame);
        (await client.IsClosedByPeerAsync()).ShouldBeTrue();
    }

    [Fact]
    public async Task A_truncated_body_closes_the_connection()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = await broker.ConnectAsync();
        var full = KafkaTestClient.Encode(ApiKey.Metadata, 1, 5, new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "some-topic" }] });
        var truncated = full[..^4];
        BinaryPrimitives.WriteInt32BigEndian(truncated, truncated.Length - 4);
        await client.SendRawAsync(truncated);
        (await client.IsClosedByPeerAsync()).ShouldBeTrue();
    }
}
