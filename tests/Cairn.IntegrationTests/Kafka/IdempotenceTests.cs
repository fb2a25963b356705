using Cairn.IntegrationTests.Infrastructure;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>librdkafka's idempotent producer (confluent-kafka-python) against a proxy that drops connections mid-stream.</summary>
public sealed class IdempotenceTests : IAsyncLifetime
{
    private const string ProducerScript = """
        import sys
        from confluent_kafka import Producer
        bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
        counts = {"ok": 0, "err": 0}
        def done(err, msg):
            if err is not None:
                counts["err"] += 1
                print("ERR", err, flush=True)
            else:
                counts["ok"] += 1
        p = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 2,
                      "batch.num.messages": 100, "message.timeout.ms": 180000, "retry.backoff.ms": 50})
        for i in range(n):
            while True:
                try:
                    p.produce(topic, value=str(i).encode(), partition=i % 2, on_delivery=done)
                    break
                except BufferError:
                    p.poll(0.05)
            p.poll(0)
        left = p.flush(180)
        print("DELIVERED", counts["ok"], "FAILED", counts["err"], "LEFT", left, flush=True)
        """;

    private readonly string _scripts = Directory.CreateTempSubdirectory("cairn-idempotence-").FullName;
    private BrokerProcess? _broker;
    private ConnectionCuttingProxy? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Directory.Delete(_scripts, recursive: true);
    }

    [Fact]
    public async Task An_idempotent_producer_whose_connections_are_cut_mid_stream_writes_every_record_exactly_once()
    {
        const int count = 3000;
        var proxyPort = FreePort.Next();
        _broker = await BrokerProcess.StartAsync(["--advertised-port", proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--num.partitions", "2"]);
        _proxy = new ConnectionCuttingProxy(proxyPort, _broker.Port, cutEvery: 4, maxCuts: 12);

        await using var producer = ClientProcess.StartPython("idempotent-producer", _scripts, ProducerScript, $"127.0.0.1:{proxyPort}", "idem", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var summary = await producer.WaitForLineAsync(l => l.StartsWith("DELIVERED", StringComparison.Ordinal), "all deliveries", TimeSpan.FromSeconds(240));
        summary.ShouldBe($"DELIVERED {count} FAILED 0 LEFT 0", producer.Output);
        _proxy.Cuts.ShouldBeGreaterThan(0);

        // Read both partitions straight from the broker: every value once, none twice.
        var values = new List<int>();
        for (var partition = 0; partition < 2; partition++)
        {
            await using var reader = ClientProcess.Start($"kcat-read-{partition}", "kcat", ["-b", _broker.BootstrapServers, "-C", "-t", "idem", "-p", partition.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "beginning", "-e", "-q"]);
            (await reader.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, reader.Output);
            foreach (var line in reader.Lines)
            {
                values.Add(int.Parse(line, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        values.Count.ShouldBe(count, $"{values.Count - values.Distinct().Count()} duplicates; proxy cut {_proxy.Cuts} connections");
        values.Distinct().Count().ShouldBe(count);
        values.Order().ShouldBe(Enumerable.Range(0, count));
    }
}
