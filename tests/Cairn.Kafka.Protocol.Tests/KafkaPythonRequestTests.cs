using System.Buffers;

namespace Cairn.Kafka.Protocol.Tests;

/// <summary>
/// Requests encoded by kafka-python 2.0.2's own protocol classes (the versions it sends, b.3 of kafka.md) decode with
/// the generated codecs, consume every byte, and re-encode to the identical frame.
/// </summary>
public sealed class KafkaPythonRequestTests
{
    [Fact]
    public void Kafka_python_request_frames_decode_and_reencode_identically()
    {
        var lines = PythonTool.Run("kafka_python_requests.py", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(15);
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            var frame = Convert.FromHexString(parts[2]);
            var reader = new KafkaReader(frame.AsMemory(KafkaFrames.SizePrefixLength));
            var header = KafkaFrames.ReadRequestHeader(ref reader);
            header.RequestApiKey.ShouldBe(short.Parse(parts[0]), line);
            header.RequestApiVersion.ShouldBe(short.Parse(parts[1]), line);
            header.ClientId.ShouldBe("kafka-python");

            var body = ApiKeys.CreateRequest((ApiKey)header.RequestApiKey).ShouldNotBeNull();
            body.Read(ref reader, header.RequestApiVersion);
            reader.End.ShouldBeTrue(line);

            var buffer = new ArrayBufferWriter<byte>();
            KafkaFrames.WriteRequest(buffer, header, body);
            TestBytes.ToHex(buffer.WrittenSpan).ShouldBe(parts[2], line);
        }
    }
}
