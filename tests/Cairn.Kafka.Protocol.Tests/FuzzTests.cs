using System.Buffers;
using Cairn.Kafka.Protocol.Compression;
using Cairn.Kafka.Protocol.Messages;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Protocol.Tests;

/// <summary>
/// Random and mutated input to every decoder: the only exception allowed is <see cref="KafkaProtocolException"/>
/// (never IndexOutOfRange, NullReference, OutOfMemory, overflow...). Seeds are fixed so failures reproduce.
/// </summary>
public sealed class FuzzTests
{
    private static byte[] Mutate(byte[] input, Random r)
    {
        var bytes = (byte[])input.Clone();
        switch (r.Next(6))
        {
            case 0:
                return bytes[..r.Next(bytes.Length + 1)];
            case 1:
                for (var i = r.Next(1, 4); i > 0 && bytes.Length > 0; i--)
                {
                    bytes[r.Next(bytes.Length)] ^= (byte)(1 << r.Next(8));
                }

                return bytes;
            case 2:
                if (bytes.Length >= 4)
                {
                    // Poison a length field: huge, negative, or the null marker.
                    var at = r.Next(bytes.Length - 3);
                    var value = r.Next(4) switch { 0 => int.MaxValue, 1 => -2, 2 => -1, _ => r.Next() };
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), value);
                }

                return bytes;
            case 3:
                if (bytes.Length > 0)
                {
                    bytes[r.Next(bytes.Length)] = (byte)(r.Next(2) == 0 ? 0xFF : 0x80);
                }

                return bytes;
            case 4:
                var insert = new byte[r.Next(1, 8)];
                r.NextBytes(insert);
                var at2 = r.Next(bytes.Length + 1);
                return [.. bytes[..at2], .. insert, .. bytes[at2..]];
            default:
                var garbage = new byte[r.Next(0, 64)];
                r.NextBytes(garbage);
                return garbage;
        }
    }

    private static void DecodeRequestFrame(byte[] frame)
    {
        var reader = new KafkaReader(frame);
        var header = KafkaFrames.ReadRequestHeader(ref reader);
        var body = ApiKeys.CreateRequest((ApiKey)header.RequestApiKey);
        body?.Read(ref reader, header.RequestApiVersion);
    }

    private static void ExpectOnlyProtocolErrors(Action decode, string what)
    {
        try
        {
            decode();
        }
        catch (KafkaProtocolException)
        {
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    [Fact]
    public void Mutated_request_frames_of_every_api_and_version_fail_cleanly()
    {
        var random = new Random(20261122);
        foreach (var info in ApiKeys.All)
        {
            for (var version = info.LowestVersion; version <= info.HighestVersion; version++)
            {
                var body = ApiKeys.CreateRequest(info.Key)!;
                MessageSamples.Fill(body, random, version);
                var buffer = new ArrayBufferWriter<byte>();
                KafkaFrames.WriteRequest(buffer, new RequestHeader { RequestApiKey = (short)info.Key, RequestApiVersion = version, CorrelationId = 1, ClientId = "fuzz" }, body);
                var frame = buffer.WrittenSpan[4..].ToArray();
                DecodeRequestFrame(frame);
                for (var i = 0; i < 40; i++)
                {
                    var mutated = Mutate(frame, random);
                    ExpectOnlyProtocolErrors(() => DecodeRequestFrame(mutated), $"{info.Name} v{version} mutation {i}");
                }
            }
        }
    }

    [Fact]
    public void Mutated_responses_fail_cleanly()
    {
        var random = new Random(7);
        foreach (var info in ApiKeys.All)
        {
            for (var version = info.LowestVersion; version <= info.HighestVersion; version++)
            {
                var body = ApiKeys.CreateResponse(info.Key)!;
                MessageSamples.Fill(body, random, version);
                var bytes = TestBytes.Write(body, version);
                for (var i = 0; i < 20; i++)
                {
                    var mutated = Mutate(bytes, random);
                    var v = version;
                    ExpectOnlyProtocolErrors(
                        () =>
                        {
                            var reader = new KafkaReader(mutated);
                            ApiKeys.CreateResponse(info.Key)!.Read(ref reader, v);
                        },
                        $"{info.Name} response v{version} mutation {i}");
                }
            }
        }
    }

    [Fact]
    public void Random_frames_fail_cleanly()
    {
        var random = new Random(99);
        for (var i = 0; i < 20000; i++)
        {
            var frame = new byte[random.Next(0, 200)];
            random.NextBytes(frame);
            if (frame.Length >= 4 && random.Next(2) == 0)
            {
                // Aim at real api keys and versions so that bodies get parsed too.
                var info = ApiKeys.All[random.Next(ApiKeys.All.Length)];
                System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(frame, (short)info.Key);
                System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(2), (short)random.Next(info.LowestVersion, info.HighestVersion + 1));
            }

            ExpectOnlyProtocolErrors(() => DecodeRequestFrame(frame), $"random frame {i}");
        }
    }

    private static void DecodeBatch(byte[] bytes)
    {
        foreach (var batchBytes in new RecordBatchEnumerator(bytes))
        {
            var batch = new RecordBatch(batchBytes);
            batch.Validate();
            var scratch = new ArrayBufferWriter<byte>();
            batch.DecompressRecords(scratch, maxDecompressedLength: 1 << 20);
            foreach (var record in new RecordEnumerator(scratch.WrittenSpan, batch.Header.RecordCount))
            {
                foreach (var header in record.Headers)
                {
                    _ = header.Value.Length;
                }
            }
        }
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Mutated_record_batches_fail_cleanly(CompressionType codec)
    {
        var random = new Random(31 + (int)codec);
        var builder = new RecordBatchBuilder(codec);
        for (var i = 0; i < 5; i++)
        {
            builder.Append(1000 + i, i % 2 == 0 ? null : [(byte)i], [1, 2, 3, (byte)i], new RecordHeaderEntry("k", [9]));
        }

        var batch = builder.ToArray();
        DecodeBatch(batch);
        for (var i = 0; i < 3000; i++)
        {
            var mutated = Mutate(batch, random);
            if (random.Next(2) == 0 && mutated.Length >= RecordBatchHeader.Size)
            {
                RecordBatchHeader.UpdateCrc(mutated); // get past the CRC so the record decoder sees the damage
            }

            ExpectOnlyProtocolErrors(() => DecodeBatch(mutated), $"{codec} batch mutation {i}");
        }
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Mutated_compressed_payloads_fail_cleanly(CompressionType type)
    {
        var random = new Random(5 + (int)type);
        var codec = CompressionCodec.Get(type);
        var payload = new byte[5000];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i % 17 == 0 ? random.Next(256) : i % 11);
        }

        var compressed = new ArrayBufferWriter<byte>();
        codec.Compress(payload, compressed);
        var valid = compressed.WrittenSpan.ToArray();
        var raw = new ArrayBufferWriter<byte>();
        CompressionCodec.SnappyRaw.Compress(payload, raw);
        for (var i = 0; i < 2000; i++)
        {
            var mutated = Mutate(i % 5 == 4 && type == CompressionType.Snappy ? raw.WrittenSpan.ToArray() : valid, random);
            ExpectOnlyProtocolErrors(() => codec.Decompress(mutated, new ArrayBufferWriter<byte>(), 1 << 20), $"{type} mutation {i}");
        }
    }
}
