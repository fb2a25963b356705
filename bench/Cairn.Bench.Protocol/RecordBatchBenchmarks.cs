using System.Buffers;
using BenchmarkDotNet.Attributes;
using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Bench.Protocol;

/// <summary>
/// One batch of 1000 records x 100 B (~110 KB): record iteration, full produce-path validation (CRC + records), and
/// the hardware CRC-32C alone as the reference floor. Compressed variants decompress first.
/// </summary>
[MemoryDiagnoser]
public class RecordBatchBenchmarks
{
    private readonly ArrayBufferWriter<byte> _scratch = new(1 << 20);
    private byte[] _batch = null!;

    [Params(CompressionType.None, CompressionType.Lz4, CompressionType.Zstd)]
    public CompressionType Compression { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var value = new byte[Workload.ValueSize];
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)(i % 26 + 'a');
        }

        var builder = new RecordBatchBuilder(Compression);
        for (var i = 0; i < Workload.RecordsPerBatch; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value);
        }

        _batch = builder.ToArray();
    }

    [Benchmark(Baseline = true, Description = "CRC-32C of the batch (reference)")]
    public uint Crc() => RecordBatchHeader.ComputeCrc(_batch);

    [Benchmark(Description = "iterate records (decompress if needed)")]
    public long Iterate()
    {
        var batch = new RecordBatch(_batch);
        ReadOnlySpan<byte> records;
        if (batch.Compression == CompressionType.None)
        {
            records = batch.RecordsSection;
        }
        else
        {
            _scratch.ResetWrittenCount();
            batch.DecompressRecords(_scratch);
            records = _scratch.WrittenSpan;
        }

        long total = 0;
        foreach (var record in new RecordEnumerator(records, batch.Header.RecordCount))
        {
            total += record.Value.Length + record.OffsetDelta;
        }

        return total;
    }

    [Benchmark(Description = "Validate (CRC + records, as on produce)")]
    public int Validate() => (int)new RecordBatch(_batch).Validate(_scratch);
}
