using System.Buffers;
using Cairn.Kafka.Protocol.Compression;

namespace Cairn.Kafka.Protocol.Tests;

public sealed class CompressionCodecTests
{
    /// <summary>Compressible but not trivial input spanning several 32/64 KiB blocks.</summary>
    private static byte[] Payload()
    {
        var random = new Random(12345);
        var data = new byte[200_000];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(random.Next(8) == 0 ? random.Next(256) : 'a' + (i / 7 % 26));
        }

        return data;
    }

    private static CompressionCodec Codec(string variant) => variant switch
    {
        "gzip" => CompressionCodec.Gzip,
        "snappy-raw" => CompressionCodec.SnappyRaw,
        "snappy-xerial" => CompressionCodec.Snappy,
        "lz4" or "lz4-linked" => CompressionCodec.Lz4,
        "zstd-nosize" or "zstd-stream" => CompressionCodec.Zstd,
        _ => throw new ArgumentException(variant),
    };

    private static byte[] Decompress(CompressionCodec codec, ReadOnlySpan<byte> data, int max = CompressionCodec.DefaultMaxDecompressedLength)
    {
        var output = new ArrayBufferWriter<byte>();
        var n = codec.Decompress(data, output, max);
        n.ShouldBe(output.WrittenCount);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Compress(CompressionCodec codec, ReadOnlySpan<byte> data)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Compress(data, output);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("snappy-raw")]
    [InlineData("snappy-xerial")]
    [InlineData("lz4")]
    [InlineData("lz4-linked")]
    [InlineData("zstd-nosize")]
    [InlineData("zstd-stream")]
    public void Python_reference_output_decompresses(string variant)
    {
        var payload = Payload();
        var compressed = Convert.FromHexString(PythonTool.Run("codecs_tool.py", $"compress {variant}", Convert.ToHexString(payload)).Trim());
        Decompress(Codec(variant), compressed).ShouldBe(payload);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("snappy-raw")]
    [InlineData("snappy-xerial")]
    [InlineData("lz4")]
    [InlineData("zstd-nosize")]
    public void Our_output_decompresses_in_python(string variant)
    {
        var payload = Payload();
        var compressed = Compress(Codec(variant), payload);
        compressed.Length.ShouldBeLessThan(payload.Length);
        var roundTrip = PythonTool.Run("codecs_tool.py", $"decompress {variant}", Convert.ToHexString(compressed)).Trim();
        roundTrip.ShouldBe(Convert.ToHexString(payload), StringCompareShould.IgnoreCase);
    }

    [Fact]
    public void Every_codec_round_trips_empty_and_small_inputs()
    {
        foreach (var codec in new[] { CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.SnappyRaw, CompressionCodec.Lz4, CompressionCodec.Zstd })
        {
            foreach (var input in new[] { Array.Empty<byte>(), [42], Payload()[..1000] })
            {
                Decompress(codec, Compress(codec, input)).ShouldBe(input, codec.Type.ToString());
            }
        }
    }

    [Fact]
    public void Xerial_framing_starts_with_the_snappy_java_magic()
    {
        var framed = Compress(CompressionCodec.Snappy, Payload());
        TestBytes.ToHex(framed.AsSpan(0, 16)).ShouldBe("82534e4150505900" + "00000001" + "00000001");
    }

    [Fact]
    public void Decompression_limits_and_truncation_are_protocol_errors()
    {
        var zeros = new byte[1 << 20];
        foreach (var codec in new[] { CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.SnappyRaw, CompressionCodec.Lz4, CompressionCodec.Zstd })
        {
            var compressed = Compress(codec, zeros);
            Should.Throw<KafkaProtocolException>(() => Decompress(codec, compressed, max: 1000), codec.Type.ToString());
            Should.Throw<KafkaProtocolException>(() => Decompress(codec, compressed.AsSpan(0, compressed.Length / 2)), codec.Type.ToString());
        }

        Should.Throw<KafkaProtocolException>(() => CompressionCodec.Get((CompressionType)5));
        Should.Throw<KafkaProtocolException>(() => CompressionCodec.Get(CompressionType.None));
    }
}
