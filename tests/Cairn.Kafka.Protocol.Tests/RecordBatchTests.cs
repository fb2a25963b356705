using System.Buffers;
using System.Text;
using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Protocol.Tests;

public sealed class RecordBatchTests
{
    private static string Show(ReadOnlySpan<byte> bytes, bool isNull) => isNull ? "null" : TestBytes.ToHex(bytes);

    /// <summary>Renders records the way Python/kafka_python_batches.py prints them.</summary>
    internal static string Render(ReadOnlySpan<byte> batchBytes)
    {
        var batch = new RecordBatch(batchBytes);
        var buffer = new ArrayBufferWriter<byte>();
        batch.DecompressRecords(buffer);
        var sb = new StringBuilder();
        sb.Append(batch.IsCrcValid ? "crc ok" : "crc bad").Append('\n');
        foreach (var r in new RecordEnumerator(buffer.WrittenSpan, batch.Header.RecordCount))
        {
            var headers = new List<string>();
            foreach (var h in r.Headers)
            {
                headers.Add($"{Encoding.UTF8.GetString(h.Key)}={Show(h.Value, h.IsValueNull)}");
            }

            sb.Append(batch.Header.BaseOffset + r.OffsetDelta).Append(' ')
              .Append(batch.Header.BaseTimestamp + r.TimestampDelta).Append(' ')
              .Append(Show(r.Key, r.IsKeyNull)).Append(' ')
              .Append(Show(r.Value, r.IsValueNull)).Append(' ')
              .Append(string.Join(',', headers)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The same 50 records Python/kafka_python_batches.py builds.</summary>
    internal static RecordBatchBuilder FiftyRecords(CompressionType compression)
    {
        var builder = new RecordBatchBuilder(compression);
        for (var i = 0; i < 50; i++)
        {
            var key = i % 3 == 0 ? null : Encoding.ASCII.GetBytes($"key-{i}");
            var value = i % 7 == 0 ? null : Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"value-{i}-", 20)));
            RecordHeaderEntry[] headers = i % 2 == 1 ? [new($"h{i}", Encoding.ASCII.GetBytes($"v{i}")), new("n", null)] : [];
            builder.Append(1700000000000 + i * 10, key, value, headers);
        }

        return builder;
    }

    [Fact]
    public void Hello_batch_from_kafka_md_decodes()
    {
        var bytes = TestBytes.Hex(GoldenBytesTests.HelloBatch);
        var batch = new RecordBatch(bytes);
        batch.IsCrcValid.ShouldBeTrue();
        batch.Validate().ShouldBe(RecordBatchError.None);
        batch.Header.RecordCount.ShouldBe(1);
        var count = 0;
        foreach (var record in batch.GetRecords())
        {
            record.IsKeyNull.ShouldBeTrue();
            Encoding.ASCII.GetString(record.Value).ShouldBe("hello");
            record.TimestampDelta.ShouldBe(0);
            record.HeaderCount.ShouldBe(0);
            count++;
        }

        count.ShouldBe(1);
    }

    [Fact]
    public void Builder_reproduces_the_hello_batch_byte_for_byte()
    {
        var builder = new RecordBatchBuilder();
        builder.Append(1700000000000, null, Encoding.ASCII.GetBytes("hello"));
        TestBytes.ToHex(builder.ToArray()).ShouldBe(TestBytes.ToHex(TestBytes.Hex(GoldenBytesTests.HelloBatch)));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Batches_built_by_kafka_python_decode_identically(CompressionType codec)
    {
        var hex = PythonTool.Run("kafka_python_batches.py", $"build {(int)codec}").Trim();
        var expected = PythonTool.Run("kafka_python_batches.py", "read", hex);
        var bytes = Convert.FromHexString(hex);
        var batch = new RecordBatch(bytes);
        batch.Compression.ShouldBe(codec);
        batch.Validate().ShouldBe(RecordBatchError.None);
        Render(bytes).ShouldBe(expected);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Batches_we_build_decode_identically_in_kafka_python(CompressionType codec)
    {
        var ours = FiftyRecords(codec).ToArray();
        new RecordBatch(ours).Validate().ShouldBe(RecordBatchError.None);
        var pythonView = PythonTool.Run("kafka_python_batches.py", "read", Convert.ToHexString(ours));
        var reference = PythonTool.Run("kafka_python_batches.py", "read", PythonTool.Run("kafka_python_batches.py", $"build {(int)codec}"));
        pythonView.ShouldBe(reference);
        Render(ours).ShouldBe(reference);
    }

    [Fact]
    public void Corruption_is_reported_as_kafka_errors()
    {
        var bytes = FiftyRecords(CompressionType.None).ToArray();
        bytes[^3] ^= 0xFF;
        new RecordBatch(bytes).Validate().ShouldBe(RecordBatchError.CorruptMessage);

        // Consistent CRC but wrong lastOffsetDelta: INVALID_RECORD.
        var builder = new RecordBatchBuilder();
        builder.Append(1, null, [1]);
        builder.Append(2, null, [2]);
        var twice = builder.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(twice.AsSpan(RecordBatchHeader.LastOffsetDeltaPosition), 5);
        RecordBatchHeader.UpdateCrc(twice);
        new RecordBatch(twice).Validate().ShouldBe(RecordBatchError.InvalidRecord);

        Should.Throw<KafkaProtocolException>(() => new RecordBatch(twice.AsSpan(0, 40)));
        Should.Throw<KafkaProtocolException>(() => new RecordBatch(twice.AsSpan(0, twice.Length - 1)));
    }

    [Fact]
    public void Batch_enumerator_splits_a_blob_and_stops_at_a_partial_batch()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var builder = FiftyRecords(CompressionType.Lz4);
        builder.BaseOffset = 0;
        var first = builder.WriteTo(buffer);
        builder.BaseOffset = 50;
        builder.WriteTo(buffer);
        var blob = buffer.WrittenSpan.ToArray();

        var offsets = new List<long>();
        foreach (var batchBytes in new RecordBatchEnumerator(blob))
        {
            offsets.Add(new RecordBatch(batchBytes).Header.BaseOffset);
        }

        offsets.ShouldBe([0L, 50L]);

        var truncated = new RecordBatchEnumerator(blob.AsSpan(0, blob.Length - 10));
        truncated.MoveNext().ShouldBeTrue();
        truncated.Current.Length.ShouldBe(first);
        truncated.MoveNext().ShouldBeFalse();
        truncated.TrailingBytes.ShouldBe(blob.Length - 10 - first);
    }

    [Fact]
    public void Log_append_time_transactional_and_producer_fields_are_encoded()
    {
        var builder = new RecordBatchBuilder
        {
            BaseOffset = 42,
            ProducerId = 7,
            ProducerEpoch = 3,
            BaseSequence = 100,
            IsTransactional = true,
            IsLogAppendTime = true,
            PartitionLeaderEpoch = 9,
        };
        builder.Append(5, [1], null);
        builder.Append(3, [2], [3]);
        var header = new RecordBatch(builder.ToArray()).Header;
        (header.BaseOffset, header.ProducerId, header.ProducerEpoch, header.BaseSequence).ShouldBe((42L, 7L, (short)3, 100));
        header.IsTransactional.ShouldBeTrue();
        header.IsLogAppendTime.ShouldBeTrue();
        header.IsControl.ShouldBeFalse();
        (header.BaseTimestamp, header.MaxTimestamp, header.LastOffsetDelta).ShouldBe((5L, 5L, 1));
        header.PartitionLeaderEpoch.ShouldBe(9);
    }
}
