using Cairn.IntegrationTests.Infrastructure;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>Log compaction end to end, seen through kafka-python: a topic's content before and after cleaning.</summary>
public sealed class CompactionTests : IAsyncLifetime
{
    private const string Script = """
        import sys
        from kafka import KafkaAdminClient, KafkaProducer, KafkaConsumer, TopicPartition
        from kafka.admin import NewTopic, ConfigResource, ConfigResourceType
        bootstrap, mode, topic = sys.argv[1], sys.argv[2], "compacted"
        if mode == "produce":
            admin = KafkaAdminClient(bootstrap_servers=bootstrap)
            admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"cleanup.policy": "delete", "segment.bytes": "1024"})])
            p = KafkaProducer(bootstrap_servers=bootstrap, acks=1)
            for r in range(5):
                for k in range(20):
                    p.send(topic, key=b"k%d" % k, value=b"v%d" % r).get(timeout=30)
            p.send(topic, key=b"k0", value=None).get(timeout=30)
            for i in range(40):
                p.send(topic, key=b"filler", value=b"x" * 100).get(timeout=30)
            print("PRODUCED", flush=True)
        elif mode == "compact":
            admin = KafkaAdminClient(bootstrap_servers=bootstrap)
            admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={
                "cleanup.policy": "compact", "segment.bytes": "1024", "min.cleanable.dirty.ratio": "0.01", "delete.retention.ms": "0"})])
            print("ALTERED", flush=True)
        else:
            c = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
            tp = TopicPartition(topic, 0)
            c.assign([tp])
            c.seek_to_beginning(tp)
            end = c.end_offsets([tp])[tp]
            while c.position(tp) < end:
                for records in c.poll(timeout_ms=500).values():
                    for r in records:
                        print("KV %s %s" % (r.key.decode(), "NULL" if r.value is None else r.value.decode()[:8]), flush=True)
            print("END", flush=True)
        """;

    private readonly string _scripts = Directory.CreateTempSubdirectory("cairn-compaction-").FullName;
    private BrokerProcess? _broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Directory.Delete(_scripts, recursive: true);
    }

    private async Task<List<(string Key, string Value)>> RunAsync(string mode, string done)
    {
        await using var client = ClientProcess.StartPython("compaction-" + mode, _scripts, Script, _broker!.BootstrapServers, mode);
        await client.WaitForLineAsync(l => l == done, mode);
        var records = new List<(string, string)>();
        foreach (var line in client.Lines)
        {
            if (line.StartsWith("KV ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                records.Add((parts[1], parts[2]));
            }
        }

        return records;
    }

    [Fact]
    public async Task Compaction_keeps_the_latest_value_per_key_and_drops_expired_tombstones()
    {
        _broker = await BrokerProcess.StartAsync();
        await RunAsync("produce", "PRODUCED");

        // Before: every version of every key, the tombstone, the filler (cleanup.policy=delete: nothing is cleaned).
        var before = await RunAsync("read", "END");
        before.Count(r => r.Key.StartsWith('k')).ShouldBe(101);
        before.ShouldContain(("k0", "NULL"));
        before.Count(r => r.Key == "k7").ShouldBe(5);

        await RunAsync("compact", "ALTERED");

        // After: the background cleaner has rewritten the closed segments (it runs every 15 s).
        List<(string Key, string Value)> after = [];
        await Poll.UntilAsync(
            async () =>
            {
                after = await RunAsync("read", "END");
                var keyed = after.Where(r => r.Key.StartsWith('k')).ToList();
                return keyed.Count(r => r.Value != "NULL") == 19 && keyed.Select(r => r.Key).Distinct().Count() == keyed.Count;
            },
            "the cleaner to compact the topic",
            TimeSpan.FromSeconds(120));

        var live = after.Where(r => r.Key.StartsWith('k') && r.Value != "NULL").ToList();
        live.Select(r => r.Key).Order().ShouldBe(Enumerable.Range(1, 19).Select(k => "k" + k).Order());
        live.ShouldAllBe(r => r.Value == "v4");
        after.ShouldNotContain(r => r.Key == "k0" && r.Value != "NULL");
        after.Count.ShouldBeLessThan(before.Count);
    }
}
