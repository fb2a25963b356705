using System.Globalization;
using Cairn.IntegrationTests.Infrastructure;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>kill -9 of a broker under load: every acknowledged record is served at its offset after a restart.</summary>
public sealed class BrokerCrashRecoveryTests
{
    /// <summary>
    /// confluent-kafka (librdkafka) producer with acks=all that prints "partition offset value" for every
    /// acknowledged record and keeps producing until killed.
    /// </summary>
    private const string ProducerScript = """
        import sys
        from confluent_kafka import Producer
        p = Producer({'bootstrap.servers': sys.argv[1], 'acks': 'all', 'linger.ms': 2, 'message.timeout.ms': 600000})
        def delivered(err, msg):
            if err is None:
                print(msg.partition(), msg.offset(), msg.value().decode(), flush=True)
        i = 0
        while True:
            try:
                p.produce('crash', value=('v%d' % i).encode(), partition=i % 2, on_delivery=delivered)
                i += 1
            except BufferError:
                pass
            p.poll(0.001 if i % 100 else 0.01)
        """;

    [Fact]
    public async Task Acknowledged_records_survive_kill_9_at_the_same_offsets()
    {
        await using var broker = await BrokerProcess.StartAsync(["--num.partitions", "2"]);
        var created = await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "crash", "-p", "0"], "warmup\n");
        created.ExitCode.ShouldBe(0, created.ToString());

        var workDir = Directory.CreateTempSubdirectory("cairn-crash-producer-").FullName;
        try
        {
            await RunAsync(broker, Path.Combine(workDir, "acks.txt"));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static async Task RunAsync(BrokerProcess broker, string producerOutput)
    {
        using var producer = StartProducer(broker.BootstrapServers, producerOutput);
        try
        {
            // Crash the broker while the producer is busy, once it has some acknowledgements.
            await Poll.UntilAsync(() => ReadAcks(producerOutput).Count >= 2000, "2000 acknowledged records");
            broker.Process.Signal(Signals.Kill);
            await broker.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            producer.Kill(entireProcessTree: true);
            await producer.WaitForExitAsync();
        }

        var acknowledged = ReadAcks(producerOutput);
        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(2000);
        await using var restarted = await broker.RestartAsync();
        foreach (var partition in new[] { 0, 1 })
        {
            var consumed = await ToolRun.KcatAsync(["-C", "-b", restarted.BootstrapServers, "-t", "crash", "-p", partition.ToString(CultureInfo.InvariantCulture), "-o", "beginning", "-e", "-f", "%o %s\\n"], timeout: TimeSpan.FromSeconds(180));
            consumed.ExitCode.ShouldBe(0, consumed.ToString());
            var stored = new Dictionary<long, string>();
            foreach (var line in consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ', 2);
                stored[long.Parse(parts[0], CultureInfo.InvariantCulture)] = parts[1];
            }

            foreach (var (p, offset, value) in acknowledged)
            {
                if (p != partition)
                {
                    continue;
                }

                stored.TryGetValue(offset, out var found).ShouldBeTrue($"acknowledged {value} at {partition}/{offset} is missing after the restart");
                found.ShouldBe(value, $"partition {partition} offset {offset}");
            }
        }

        // The restarted broker still takes writes after the recovered tail.
        (await ToolRun.KcatAsync(["-P", "-b", restarted.BootstrapServers, "-t", "crash", "-p", "0"], "after\n")).ExitCode.ShouldBe(0);
    }

    private static System.Diagnostics.Process StartProducer(string bootstrap, string outputPath)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec /usr/bin/python3 -c \"$0\" \"$1\" > \"$2\"");
        info.ArgumentList.Add(ProducerScript);
        info.ArgumentList.Add(bootstrap);
        info.ArgumentList.Add(outputPath);
        var process = System.Diagnostics.Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static List<(int Partition, long Offset, string Value)> ReadAcks(string path)
    {
        var result = new List<(int, long, string)>();
        if (!File.Exists(path))
        {
            return result;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return result;
        }

        foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            result.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]));
        }

        return result;
    }
}
