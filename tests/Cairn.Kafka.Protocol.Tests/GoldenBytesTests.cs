using System.Buffers;
using System.Text;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Protocol.Tests;

/// <summary>Byte-exact frames from research/kafka.md §a.5 and derived by hand from the 3.9 schemas.</summary>
public sealed class GoldenBytesTests
{
    /// <summary>ApiVersions v3 request exactly as librdkafka 2.0.2 sends it (kafka.md §a.5).</summary>
    private const string LibrdkafkaApiVersionsV3 =
        "00000024 0012 0003 00000001 0007 72646b61666b61 00 0b 6c696272646b61666b61 06 322e302e32 00";

    /// <summary>Magic-2 batch: one record, value "hello", CreateTime 1700000000000 (kafka.md §a.5).</summary>
    internal const string HelloBatch =
        "0000000000000000 0000003d ffffffff 02 e641a44b 0000 00000000 0000018bcfe56800 0000018bcfe56800 " +
        "ffffffffffffffff ffff ffffffff 00000001 16 00 00 00 01 0a 68656c6c6f 00";

    private static byte[] Frame(RequestHeader header, IKafkaMessage body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteRequest(buffer, header, body);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void ApiVersions_v3_request_matches_librdkafka_bytes()
    {
        var bytes = Frame(
            new RequestHeader { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 1, ClientId = "rdkafka" },
            new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.0.2" });
        TestBytes.ToHex(bytes).ShouldBe(TestBytes.ToHex(TestBytes.Hex(LibrdkafkaApiVersionsV3)));
    }

    [Fact]
    public void ApiVersions_v3_request_from_librdkafka_decodes()
    {
        var frame = TestBytes.Hex(LibrdkafkaApiVersionsV3)[4..];
        var reader = new KafkaReader(frame);
        var header = KafkaFrames.ReadRequestHeader(ref reader);
        header.RequestApiKey.ShouldBe((short)ApiKey.ApiVersions);
        header.RequestApiVersion.ShouldBe((short)3);
        header.CorrelationId.ShouldBe(1);
        header.ClientId.ShouldBe("rdkafka");

        var body = new ApiVersionsRequest();
        body.Read(ref reader, header.RequestApiVersion);
        reader.End.ShouldBeTrue();
        body.ClientSoftwareName.ShouldBe("librdkafka");
        body.ClientSoftwareVersion.ShouldBe("2.0.2");
    }

    [Fact]
    public void Unsupported_ApiVersions_answer_is_a_v0_body_with_header_v0()
    {
        var response = new ApiVersionsResponse { ErrorCode = 35 };
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = 18, MinVersion = 0, MaxVersion = 3 });
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteResponse(buffer, ApiKey.ApiVersions, 0, correlationId: 1, response).ShouldBe(20);
        TestBytes.ToHex(buffer.WrittenSpan).ShouldBe(TestBytes.ToHex(TestBytes.Hex("00000010 00000001 0023 00000001 0012 0000 0003")));
    }

    [Fact]
    public void ApiVersions_v3_response_uses_header_v0_but_a_flexible_body()
    {
        var response = new ApiVersionsResponse();
        response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = 0, MinVersion = 3, MaxVersion = 9 });
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteResponse(buffer, ApiKey.ApiVersions, 3, correlationId: 9, response);
        // size, corr id (no header tags), error 0, compact array n=1 {0, 3, 9, tags}, throttle 0, body tags
        TestBytes.ToHex(buffer.WrittenSpan).ShouldBe(TestBytes.ToHex(TestBytes.Hex("00000013 00000009 0000 02 0000 0003 0009 00 00000000 00")));
    }

    [Fact]
    public void Metadata_v1_request_as_kafka_python_sends_it()
    {
        var request = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "t" }] };
        var bytes = Frame(new RequestHeader { RequestApiKey = 3, RequestApiVersion = 1, CorrelationId = 7, ClientId = "kafka-python" }, request);
        TestBytes.ToHex(bytes).ShouldBe(TestBytes.ToHex(TestBytes.Hex(
            "0000001d 0003 0001 00000007 000c 6b61666b612d707974686f6e 00000001 0001 74")));

        var allTopics = Frame(new RequestHeader { RequestApiKey = 3, RequestApiVersion = 1, CorrelationId = 8, ClientId = null }, new MetadataRequest { Topics = null });
        TestBytes.ToHex(allTopics).ShouldBe(TestBytes.ToHex(TestBytes.Hex("0000000e 0003 0001 00000008 ffff ffffffff")));
    }

    [Fact]
    public void Metadata_v0_cannot_encode_a_null_topic_list()
    {
        Should.Throw<KafkaProtocolException>(() => TestBytes.Write(new MetadataRequest { Topics = null }, 0));
        Should.Throw<KafkaProtocolException>(() => TestBytes.Read(new MetadataRequest(), TestBytes.Hex("ffffffff"), 0));
    }

    [Fact]
    public void Metadata_v9_request_is_flexible_with_compact_arrays_and_tags()
    {
        var request = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = "t" }], AllowAutoTopicCreation = true };
        var bytes = Frame(new RequestHeader { RequestApiKey = 3, RequestApiVersion = 9, CorrelationId = 1, ClientId = "rdkafka" }, request);
        TestBytes.ToHex(bytes).ShouldBe(TestBytes.ToHex(TestBytes.Hex(
            "0000001a 0003 0009 00000001 0007 72646b61666b61 00 02 02 74 00 01 00 00 00")));
    }

    [Fact]
    public void Produce_v3_request_carries_the_batch_bytes_untouched()
    {
        var batch = TestBytes.Hex(HelloBatch);
        RecordBatchHeader.IsCrcValid(batch).ShouldBeTrue();
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = 30000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "t", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }] }],
        };
        var bytes = Frame(new RequestHeader { RequestApiKey = 0, RequestApiVersion = 3, CorrelationId = 2, ClientId = "rdkafka" }, request);
        var expected = TestBytes.Hex(
            "00000075 0000 0003 00000002 0007 72646b61666b61 " + // header v1
            "ffff ffff 00007530 00000001 0001 74 00000001 00000000 00000049" + HelloBatch.Replace(" ", "", StringComparison.Ordinal));
        TestBytes.ToHex(bytes).ShouldBe(TestBytes.ToHex(expected));

        var frame = bytes.AsMemory(4);
        var reader = new KafkaReader(frame);
        var header = KafkaFrames.ReadRequestHeader(ref reader);
        var decoded = new ProduceRequest();
        decoded.Read(ref reader, header.RequestApiVersion);
        var records = decoded.TopicData[0].PartitionData[0].Records!.Value;
        records.Span.SequenceEqual(batch).ShouldBeTrue();
        // records are a slice of the frame, not a copy
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(records, out var segment).ShouldBeTrue();
        segment.Array.ShouldBeSameAs(bytes);
    }

    [Fact]
    public void Flexible_response_header_has_a_tagged_field_section()
    {
        var response = new MetadataResponse { ClusterId = "c" };
        var buffer = new ArrayBufferWriter<byte>();
        KafkaFrames.WriteResponse(buffer, ApiKey.Metadata, 9, correlationId: 5, response);
        var bytes = buffer.WrittenSpan;
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes).ShouldBe(bytes.Length - 4);
        TestBytes.ToHex(bytes[4..9]).ShouldBe("0000000500");
        Encoding.ASCII.GetString(bytes[9..]).ShouldContain("c");
    }
}
