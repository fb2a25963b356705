using System.Buffers;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Bench.Protocol;

/// <summary>Shared inputs: a 1000-record batch of 100-byte values, and Produce/Fetch messages carrying 8 of them.</summary>
internal static class Workload
{
    public const int RecordsPerBatch = 1000;
    public const int ValueSize = 100;
    public const int Partitions = 8;

    public static byte[] Batch { get; } = BuildBatch();

    private static byte[] BuildBatch()
    {
        var value = new byte[ValueSize];
        new Random(1).NextBytes(value);
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < RecordsPerBatch; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value);
        }

        return builder.ToArray();
    }

    public static ProduceRequest Produce()
    {
        var topic = new ProduceRequest.TopicProduceData { Name = "bench-topic" };
        for (var p = 0; p < Partitions; p++)
        {
            topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = p, Records = Batch });
        }

        return new ProduceRequest { Acks = 1, TimeoutMs = 30000, TopicData = [topic] };
    }

    public static FetchResponse Fetch()
    {
        var topic = new FetchResponse.FetchableTopicResponse { Topic = "bench-topic" };
        for (var p = 0; p < Partitions; p++)
        {
            topic.Partitions.Add(new FetchResponse.PartitionData
            {
                PartitionIndex = p,
                HighWatermark = 1_000_000,
                LastStableOffset = 1_000_000,
                LogStartOffset = 0,
                Records = Batch,
            });
        }

        return new FetchResponse { Responses = [topic] };
    }

    public static byte[] Encode(IKafkaMessage message, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
