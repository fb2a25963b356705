using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Bench.Protocol;

/// <summary>
/// Produce request and Fetch response codecs, classic (Produce v7, Fetch v11) and flexible (Produce v9, Fetch v12)
/// versions; each message carries 8 partitions x 1000 records x 100 B (~900 KB). The baseline copies the same
/// number of bytes, the floor any codec that touches the records would pay (ours does not copy records on decode).
/// </summary>
[MemoryDiagnoser]
public class MessageCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 21);
    private ProduceRequest _produce = null!;
    private FetchResponse _fetch = null!;
    private byte[] _produceBytes = null!;
    private byte[] _fetchBytes = null!;
    private byte[] _copyTarget = null!;

    [Params((short)7, (short)9)]
    public short ProduceVersion { get; set; }

    private short FetchVersion => ProduceVersion == 9 ? (short)12 : (short)11;

    [GlobalSetup]
    public void Setup()
    {
        _produce = Workload.Produce();
        _fetch = Workload.Fetch();
        _produceBytes = Workload.Encode(_produce, ProduceVersion);
        _fetchBytes = Workload.Encode(_fetch, FetchVersion);
        _copyTarget = new byte[_produceBytes.Length];
    }

    [Benchmark(Baseline = true, Description = "memcpy of the Produce request bytes (reference)")]
    public int CopyReference()
    {
        _produceBytes.AsSpan().CopyTo(_copyTarget);
        return _copyTarget[^1];
    }

    [Benchmark(Description = "ProduceRequest decode")]
    public int DecodeProduce()
    {
        var reader = new KafkaReader(_produceBytes);
        var request = new ProduceRequest();
        request.Read(ref reader, ProduceVersion);
        return request.TopicData[0].PartitionData.Count;
    }

    [Benchmark(Description = "ProduceRequest encode")]
    public int EncodeProduce()
    {
        _output.ResetWrittenCount();
        var writer = new KafkaWriter(_output);
        _produce.Write(ref writer, ProduceVersion);
        writer.Flush();
        return _output.WrittenCount;
    }

    [Benchmark(Description = "FetchResponse decode")]
    public int DecodeFetch()
    {
        var reader = new KafkaReader(_fetchBytes);
        var response = new FetchResponse();
        response.Read(ref reader, FetchVersion);
        return response.Responses[0].Partitions.Count;
    }

    [Benchmark(Description = "FetchResponse encode (size pass + write, as KafkaFrames does)")]
    public int EncodeFetch()
    {
        _output.ResetWrittenCount();
        return KafkaFrames.WriteResponse(_output, ApiKey.Fetch, FetchVersion, 1, _fetch);
    }
}
