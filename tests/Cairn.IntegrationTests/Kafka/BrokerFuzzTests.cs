using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>
/// Random, mutated, truncated and oversized frames against a live broker while a well-formed client
/// (kcat) keeps producing and consuming: the broker must keep serving and keep every acknowledged record.
/// </summary>
public sealed class BrokerFuzzTests
{
    [Fact]
    public async Task Garbage_frames_never_stop_the_broker_serving_well_formed_clients()
    {
        await using var broker = await BrokerProcess.StartAsync(["--socket.request.max.bytes", "1048576"]);
        (await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "fuzz", "-p", "0"], "before\n")).ExitCode.ShouldBe(0);

        using var stop = new CancellationTokenSource();
        var fuzzing = Task.Run(() => FuzzAsync(broker.Port, seed: 20261122, frames: 1500, stop.Token));
        var rounds = 0;
        try
        {
            // The well-formed client works during the fuzzing: every round's record is readable.
            while (!fuzzing.IsCompleted || rounds < 3)
            {
                var value = $"round{rounds}";
                var produced = await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "fuzz", "-p", "0", "-X", "acks=all"], value + "\n");
                produced.ExitCode.ShouldBe(0, produced.ToString());
                var consumed = await ToolRun.KcatAsync(["-C", "-b", broker.BootstrapServers, "-t", "fuzz", "-p", "0", "-o", "beginning", "-e"]);
                consumed.ExitCode.ShouldBe(0, consumed.ToString());
                consumed.Stdout.ShouldContain(value);
                rounds++;
            }

            await fuzzing;
        }
        finally
        {
            await stop.CancelAsync();
        }

        broker.Process.HasExited.ShouldBeFalse(broker.Process.Output);
        var list = await ToolRun.KcatAsync(["-L", "-b", broker.BootstrapServers]);
        list.Stdout.ShouldContain("topic \"fuzz\"");
        var all = await ToolRun.KcatAsync(["-C", "-b", broker.BootstrapServers, "-t", "fuzz", "-p", "0", "-o", "beginning", "-e"]);
        all.Stdout.ShouldContain("before");
        for (var i = 0; i < rounds; i++)
        {
            all.Stdout.ShouldContain($"round{i}");
        }
    }

    private static async Task FuzzAsync(int port, int seed, int frames, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var templates = Templates();
        for (var i = 0; i < frames && !cancellationToken.IsCancellationRequested; i++)
        {
            var frame = Mutate(random, templates[random.Next(templates.Count)]);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            try
            {
                await socket.SendAsync(frame, SocketFlags.None, cancellationToken);
                // Read whatever comes back (an answer, an error answer, or a close) for a short while.
                using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                window.CancelAfter(TimeSpan.FromMilliseconds(random.Next(0, 3) == 0 ? 50 : 1));
                var buffer = new byte[4096];
                try
                {
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, window.Token) > 0)
                    {
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
            catch (SocketException)
            {
                // The broker closed the connection: expected for garbage.
            }
        }
    }

    /// <summary>Well-formed request frames the fuzzer starts from: ApiVersions v0/v3, Metadata v1, Produce v3, Fetch v4.</summary>
    private static List<byte[]> Templates()
    {
        static byte[] Frame(short key, short version, bool flexibleHeader, Action<List<byte>> body)
        {
            var bytes = new List<byte>();
            void I16(short v) => bytes.AddRange([(byte)(v >> 8), (byte)v]);
            void I32(int v) => bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
            I32(0);
            I16(key);
            I16(version);
            I32(7);
            I16(4);
            bytes.AddRange("fuzz"u8.ToArray());
            if (flexibleHeader)
            {
                bytes.Add(0);
            }

            body(bytes);
            var array = bytes.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(array, array.Length - 4);
            return array;
        }

        static void Str(List<byte> b, string s)
        {
            b.AddRange([(byte)(s.Length >> 8), (byte)s.Length]);
            b.AddRange(Encoding.UTF8.GetBytes(s));
        }

        static void I32(List<byte> b, int v) => b.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);

        return
        [
            Frame(18, 0, false, _ => { }),
            Frame(18, 3, true, b => b.AddRange([5, (byte)'f', (byte)'u', (byte)'z', (byte)'z', 2, (byte)'1', 0])),
            Frame(3, 1, false, b => { I32(b, 1); Str(b, "fuzz"); }),
            Frame(0, 3, false, b =>
            {
                b.AddRange([0xff, 0xff]); // transactional id null
                b.AddRange([0, 1]);       // acks 1
                I32(b, 1000);
                I32(b, 1);
                Str(b, "fuzz-target");
                I32(b, 1);
                I32(b, 0);
                I32(b, 70);               // records: a batch-shaped run of bytes with a bogus CRC
                b.AddRange(new byte[16]);
                b.Add(2);
                b.AddRange(new byte[53]);
            }),
            Frame(1, 4, false, b =>
            {
                I32(b, -1);
                I32(b, 10);
                I32(b, 1);
                I32(b, 1 << 20);
                b.Add(0);
                I32(b, 1);
                Str(b, "fuzz");
                I32(b, 1);
                I32(b, 0);
                b.AddRange(new byte[8]);
                I32(b, 1 << 20);
            }),
        ];
    }

    private static byte[] Mutate(Random random, byte[] template)
    {
        var frame = (byte[])template.Clone();
        switch (random.Next(6))
        {
            case 0: // flip random bytes after the size prefix
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    frame[4 + random.Next(frame.Length - 4)] ^= (byte)(1 + random.Next(255));
                }

                return frame;
            case 1: // truncated frame (the size says more than is sent)
                return frame[..random.Next(1, frame.Length)];
            case 2: // truncated body with a consistent size
                var cut = frame[..Math.Max(12, random.Next(4, frame.Length))];
                BinaryPrimitives.WriteInt32BigEndian(cut, cut.Length - 4);
                return cut;
            case 3: // oversized or negative size prefix
                BinaryPrimitives.WriteInt32BigEndian(frame, random.Next(2) == 0 ? int.MaxValue - random.Next(100) : -random.Next(1, 1000));
                return frame;
            case 4: // random API key and version
                BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), (short)random.Next(-5, 100));
                BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), (short)random.Next(-2, 20));
                return frame;
            default: // pure noise with a plausible size
                var noise = new byte[4 + random.Next(1, 512)];
                random.NextBytes(noise);
                BinaryPrimitives.WriteInt32BigEndian(noise, noise.Length - 4);
                return noise;
        }
    }
}
