using System.Globalization;
using Cairn.IntegrationTests.Infrastructure;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>Consumer groups with real clients: kcat's balanced consumer and kafka-python's group consumer.</summary>
public sealed class GroupsTests : IAsyncLifetime
{
    /// <summary>Prints every assignment and record; commits only what the test asks for.</summary>
    private const string GroupConsumerScript = """
        import sys
        from kafka import KafkaConsumer, ConsumerRebalanceListener
        bootstrap, group, topic, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, session_timeout_ms=10000, max_poll_interval_ms=20000,
                                 heartbeat_interval_ms=2000, auto_offset_reset="earliest", enable_auto_commit=False,
                                 max_poll_records=5)
        class Listener(ConsumerRebalanceListener):
            def on_partitions_revoked(self, revoked):
                print("REVOKED", flush=True)
            def on_partitions_assigned(self, assigned):
                print("ASSIGNED " + ",".join(str(p) for p in sorted(tp.partition for tp in assigned)), flush=True)
        consumer.subscribe([topic], listener=Listener())
        seen = 0
        while want < 0 or seen < want:
            for tp, records in consumer.poll(timeout_ms=200).items():
                for r in records:
                    print("REC %d %d" % (r.partition, r.offset), flush=True)
                    seen += 1
        consumer.commit()
        print("COMMITTED", flush=True)
        consumer.close()
        print("CLOSED", flush=True)
        """;

    private const string CommittedOffsetsScript = """
        import sys
        from kafka import KafkaAdminClient
        admin = KafkaAdminClient(bootstrap_servers=sys.argv[1])
        offsets = admin.list_consumer_group_offsets(sys.argv[2])
        print("TOTAL %d" % sum(o.offset for o in offsets.values()), flush=True)
        admin.close()
        """;

    private readonly string _scripts = Directory.CreateTempSubdirectory("cairn-groups-").FullName;
    private readonly List<BrokerProcess> _brokers = [];
    private BrokerProcess? _broker;

    private static readonly string[] BrokerFlags = ["--group.initial.rebalance.delay.ms", "0", "--num.partitions", "4", "--offsets.topic.num.partitions", "4"];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The restarted incarnation first; the original owns (and deletes) the data directory.
        for (var i = _brokers.Count - 1; i >= 0; i--)
        {
            await _brokers[i].DisposeAsync();
        }

        Directory.Delete(_scripts, recursive: true);
    }

    private async Task ProduceAsync(string topic, int count)
    {
        var lines = string.Join('\n', Enumerable.Range(0, count)) + "\n";
        await using var producer = ClientProcess.Start("kcat-produce", "kcat", ["-b", _broker!.BootstrapServers, "-P", "-t", topic, "-X", "acks=all"], lines);
        (await producer.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, producer.Output);
    }

    private async Task<long> CommittedTotalAsync(string group)
    {
        await using var admin = ClientProcess.StartPython("committed-offsets", _scripts, CommittedOffsetsScript, _broker!.BootstrapServers, group);
        var line = await admin.WaitForLineAsync(l => l.StartsWith("TOTAL ", StringComparison.Ordinal), "committed offsets");
        return long.Parse(line["TOTAL ".Length..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Kcat_consumes_a_topic_as_a_group_and_commits_what_it_read()
    {
        _brokers.Add(_broker = await BrokerProcess.StartAsync(BrokerFlags));
        await ProduceAsync("kcat-group", 200);

        await using var consumer = ClientProcess.Start("kcat-group", "kcat", ["-b", _broker.BootstrapServers, "-G", "g1", "kcat-group", "-o", "beginning", "-e", "-q"]);
        (await consumer.WaitForExitAsync(TimeSpan.FromSeconds(120))).ShouldBe(0, consumer.Output);
        consumer.Lines.Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Distinct().Order().ShouldBe(Enumerable.Range(0, 200));

        // librdkafka commits the consumed positions when it closes: offsets sum to the record count.
        await Poll.UntilAsync(async () => await CommittedTotalAsync("g1") == 200, "g1's committed offsets to cover all 200 records");

        // A second member of the same group starts from the committed offsets: nothing left to read.
        await ProduceAsync("kcat-group", 1);
        await using var again = ClientProcess.Start("kcat-group-again", "kcat", ["-b", _broker.BootstrapServers, "-G", "g1", "kcat-group", "-X", "auto.offset.reset=earliest", "-e", "-q"]);
        (await again.WaitForExitAsync(TimeSpan.FromSeconds(120))).ShouldBe(0, again.Output);
        again.Lines.ShouldBe(["0"]);
    }

    [Fact]
    public async Task Committed_offsets_survive_a_broker_restart_and_consumption_resumes_with_nothing_skipped_or_repeated()
    {
        const int total = 100;
        _brokers.Add(_broker = await BrokerProcess.StartAsync(BrokerFlags));
        await ProduceAsync("resume", total);

        List<(int Partition, long Offset)> firstRecords;
        await using (var first = ClientProcess.StartPython("first", _scripts, GroupConsumerScript, _broker.BootstrapServers, "resume-group", "resume", "30"))
        {
            await first.WaitForLineAsync(l => l == "CLOSED", "the first consumer to commit and close");
            firstRecords = Records(first.Lines);
        }

        firstRecords.Count.ShouldBeGreaterThanOrEqualTo(30);

        await _broker.Process.StopAsync(TimeSpan.FromSeconds(30));
        _brokers.Add(_broker = await _broker.RestartAsync(BrokerFlags));

        var remaining = total - firstRecords.Count;
        await using var second = ClientProcess.StartPython("second", _scripts, GroupConsumerScript, _broker.BootstrapServers, "resume-group", "resume", remaining.ToString(CultureInfo.InvariantCulture));
        await second.WaitForLineAsync(l => l == "CLOSED", "the second consumer to read the rest");
        var secondRecords = Records(second.Lines);

        // Together the two runs saw each record exactly once.
        var all = firstRecords.Concat(secondRecords).ToList();
        all.Count.ShouldBe(total);
        all.Distinct().Count().ShouldBe(total);
        foreach (var partition in all.Select(r => r.Partition).Distinct())
        {
            var offsets = all.Where(r => r.Partition == partition).Select(r => r.Offset).Order().ToList();
            offsets.ShouldBe(Enumerable.Range(0, offsets.Count).Select(i => (long)i));
        }

        (await CommittedTotalAsync("resume-group")).ShouldBe(total);
    }

    [Fact]
    public async Task Two_kafka_python_consumers_split_four_partitions_and_the_survivor_takes_all_when_one_is_killed()
    {
        _brokers.Add(_broker = await BrokerProcess.StartAsync(BrokerFlags));
        await ProduceAsync("split", 40);

        await using var first = ClientProcess.StartPython("first", _scripts, GroupConsumerScript, _broker.BootstrapServers, "split-group", "split", "-1");
        await first.WaitForLineAsync(l => l == "ASSIGNED 0,1,2,3", "the first consumer to own all four partitions");
        await using var second = ClientProcess.StartPython("second", _scripts, GroupConsumerScript, _broker.BootstrapServers, "split-group", "split", "-1");

        // Stable split: each consumer's latest rebalance event is an assignment, and together they cover 0..3 once.
        await Poll.UntilAsync(
            () =>
            {
                var a = LatestAssignment(first.Lines);
                var b = LatestAssignment(second.Lines);
                return a is { Count: > 0 } && b is { Count: > 0 } && a.Concat(b).Order().SequenceEqual([0, 1, 2, 3]);
            },
            "the two consumers to split the four partitions",
            TimeSpan.FromSeconds(120));

        var assignmentsBeforeKill = first.Lines.Count(l => l.StartsWith("ASSIGNED ", StringComparison.Ordinal));
        second.Kill();

        // The broker notices the missing heartbeats after the session timeout (10 s) and rebalances.
        await Poll.UntilAsync(
            () => first.Lines.Count(l => l.StartsWith("ASSIGNED ", StringComparison.Ordinal)) > assignmentsBeforeKill
                  && LatestAssignment(first.Lines) is { } a && a.SequenceEqual([0, 1, 2, 3]),
            "the surviving consumer to own all four partitions",
            TimeSpan.FromSeconds(120));
    }

    /// <summary>The partitions of the last ASSIGNED line, or null when the last rebalance event is a revocation.</summary>
    private static List<int>? LatestAssignment(IEnumerable<string> lines)
    {
        List<int>? latest = null;
        foreach (var line in lines)
        {
            if (line == "REVOKED")
            {
                latest = null;
            }
            else if (line.StartsWith("ASSIGNED ", StringComparison.Ordinal))
            {
                var list = line["ASSIGNED ".Length..];
                latest = list.Length == 0 ? [] : list.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Order().ToList();
            }
        }

        return latest;
    }

    private static List<(int Partition, long Offset)> Records(IEnumerable<string> lines)
    {
        var records = new List<(int, long)>();
        foreach (var line in lines)
        {
            if (line.StartsWith("REC ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                records.Add((int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
            }
        }

        return records;
    }
}
