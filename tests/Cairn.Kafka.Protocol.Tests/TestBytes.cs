using System.Buffers;

namespace Cairn.Kafka.Protocol.Tests;

internal static class TestBytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Serialises <paramref name="message"/> at <paramref name="version"/>.</summary>
    public static byte[] Write(IKafkaMessage message, short version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        message.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads <paramref name="bytes"/> into <paramref name="message"/> and checks every byte was consumed.</summary>
    public static T Read<T>(T message, byte[] bytes, short version) where T : IKafkaMessage
    {
        var reader = new KafkaReader(bytes);
        message.Read(ref reader, version);
        reader.Remaining.ShouldBe(0);
        return message;
    }

    public static int CountedSize(IKafkaMessage message, short version)
    {
        var counter = KafkaWriter.CreateCounting();
        message.Write(ref counter, version);
        return counter.BytesWritten;
    }
}
