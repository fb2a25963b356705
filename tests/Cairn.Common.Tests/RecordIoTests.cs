using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Cairn.Common;

namespace Cairn.Common.Tests;

public class RecordIoTests
{
    [Fact]
    public void Writes_the_mesos_framing()
    {
        var buffer = new ArrayBufferWriter<byte>();
        RecordIoWriter.Write(buffer, "{\"type\":\"HEARTBEAT\"}"u8);

        Encoding.UTF8.GetString(buffer.WrittenSpan).ShouldBe("20\n{\"type\":\"HEARTBEAT\"}");
    }

    [Fact]
    public async Task Reads_records_split_at_every_possible_byte_through_a_pipe()
    {
        using var stream = new MemoryStream();
        string[] records = ["a", "{\"type\":\"SUBSCRIBED\"}", new string('x', 300)];
        foreach (var r in records)
        {
            await RecordIoWriter.WriteAsync(stream, Encoding.UTF8.GetBytes(r), CancellationToken.None);
        }

        var bytes = stream.ToArray();
        for (var chunk = 1; chunk <= 7; chunk++)
        {
            var pipe = new Pipe();
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
            var read = new List<string>();
            while (true)
            {
                var result = await pipe.Reader.ReadAsync();
                var buffer = result.Buffer;
                while (RecordIoReader.TryRead(ref buffer, out var record, out _) == RecordIoReadResult.Record)
                {
                    read.Add(Encoding.UTF8.GetString(record));
                }

                pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    buffer.Length.ShouldBe(0);
                    break;
                }
            }

            read.ShouldBe(records);
        }
    }

    [Theory]
    [InlineData("x\nabc", "RecordIO header contains byte 0x78")]
    [InlineData("0\n", "RecordIO record length must be a positive decimal number")]
    [InlineData("\n", "RecordIO record length must be a positive decimal number")]
    [InlineData("99999999999999999999\n", "RecordIO record length exceeds the limit")]
    public void Malformed_headers_are_reported(string input, string expected)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));
        RecordIoReader.TryRead(ref buffer, out _, out var error).ShouldBe(RecordIoReadResult.Malformed);
        error!.ShouldStartWith(expected);
    }

    [Fact]
    public void Partial_input_asks_for_more_without_consuming()
    {
        var buffer = new ReadOnlySequence<byte>("5\nab"u8.ToArray());
        RecordIoReader.TryRead(ref buffer, out _, out _).ShouldBe(RecordIoReadResult.NeedMoreData);
        buffer.Length.ShouldBe(4);
    }
}
