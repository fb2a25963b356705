// Confluent.Kafka 1.9.3 (on Debian's librdkafka 2.0.2) against a broker.
//   usage: dotnet ConfluentCompat.dll BOOTSTRAP TOPIC_PREFIX
// Every check uses its own topic; order is asserted only for one producer writing one partition
// with one request in flight.
using System.Security.Cryptography;
using System.Text;
using Cairn.Compat.ConfluentKafka;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static Cairn.Compat.ConfluentKafka.Checks;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ConfluentCompat BOOTSTRAP TOPIC_PREFIX");
    return 2;
}

NativeLibraries.UseSystemLibrdkafka();
var (bootstrap, prefix) = (args[0], args[1]);
Console.WriteLine($"Confluent.Kafka {typeof(Library).Assembly.GetName().Version}, librdkafka {Library.VersionString}");
var client = new CompatClient(bootstrap, prefix);
var checks = new Checks();
using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();

await checks.RunAsync("metadata lists the broker", () =>
{
    var md = admin.GetMetadata(TimeSpan.FromSeconds(30));
    var port = int.Parse(bootstrap.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
    Expect(md.Brokers.Exists(b => b.Port == port), $"bootstrap port not among {string.Join(", ", md.Brokers)}");
});

var adminTopic = $"{prefix}-admin";
await checks.RunAsync("admin create topics (3 partitions, retention.ms)", async () =>
{
    await admin.CreateTopicsAsync(
        [new TopicSpecification { Name = adminTopic, NumPartitions = 3, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "3600000" } }],
        new CreateTopicsOptions { OperationTimeout = TimeSpan.FromSeconds(30), RequestTimeout = TimeSpan.FromSeconds(60) });
    var topic = await WaitUntilAsync(
        () => admin.GetMetadata(adminTopic, TimeSpan.FromSeconds(10)).Topics.Find(t => t.Topic == adminTopic && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0),
        "the created topic in metadata");
    var ids = topic.Partitions.ConvertAll(p => p.PartitionId);
    ids.Sort();
    Expect(ids.SequenceEqual([0, 1, 2]), $"partitions {string.Join(",", ids)}");
});

await checks.RunAsync("admin create topics rejects an existing topic", async () =>
{
    try
    {
        await admin.CreateTopicsAsync([new TopicSpecification { Name = adminTopic, NumPartitions = 1, ReplicationFactor = 1 }]);
        Expect(false, "creating an existing topic succeeded");
    }
    catch (CreateTopicsException e)
    {
        Expect(e.Results[0].Error.Code == ErrorCode.TopicAlreadyExists, $"error {e.Results[0].Error}");
    }
});

await checks.RunAsync("admin describe configs", async () =>
{
    var result = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = adminTopic }]);
    var entries = result[0].Entries;
    Expect(entries.TryGetValue("retention.ms", out var retention) && retention.Value == "3600000", $"retention.ms = {retention?.Value}");
    Expect(entries.ContainsKey("cleanup.policy"), $"no cleanup.policy among {string.Join(",", entries.Keys.Take(10))}");
});

await checks.RunAsync("produce to and consume from partition 2", () =>
{
    var records = CompatClient.SimpleRecords(20, "p2");
    client.ProduceAll(new ProducerConfig { Acks = Acks.All }, adminTopic, records, partition: 2);
    var got = client.Consume(adminTopic, Offset.Beginning, 20, partition: 2);
    Expect(got.TrueForAll(r => r.Partition.Value == 2), "record from another partition");
    Expect(got.ConvertAll(r => CompatClient.Text(r.Message.Value)).SequenceEqual(records.ConvertAll(r => CompatClient.Text(r.Value))), "partition 2 values differ");
});

await checks.RunAsync("admin delete topics", async () =>
{
    // A topic no client holds a handle for: librdkafka handles (the admin client's too) refresh the topics
    // they know with auto-creation allowed, which would bring a deleted topic straight back.
    var topic = $"{prefix}-delete";
    await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);
    await WaitUntilAsync(() => admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Exists(t => t.Topic == topic) ? "there" : null, "the topic in metadata");
    await admin.DeleteTopicsAsync([topic], new DeleteTopicsOptions { OperationTimeout = TimeSpan.FromSeconds(30) });
    await WaitUntilAsync(() => admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Exists(t => t.Topic == topic) ? null : "gone", "the topic to disappear from metadata");
});

foreach (var acks in new[] { Acks.None, Acks.Leader, Acks.All })
{
    await checks.RunAsync($"produce acks={acks} with keys and headers, consume from earliest", async () =>
    {
        var topic = $"{prefix}-acks-{acks}";
        var records = CompatClient.SimpleRecords(200, $"a{acks}");
        client.ProduceAll(new ProducerConfig { Acks = acks }, topic, records);
        await client.WaitVisibleAsync(topic, records.Count); // acks=0 records may still be in flight
        var got = client.Consume(topic, Offset.Beginning, records.Count);
        CompatClient.ExpectContiguous(got, 0, topic);
        static string Describe(byte[]? key, byte[]? value, Headers? headers) =>
            $"{CompatClient.Text(key)}|{CompatClient.Text(value)}|{(headers is { Count: > 0 } ? CompatClient.Text(headers[0].GetValueBytes()) : "")}";
        CompatClient.ExpectSameSet(got.ConvertAll(r => Describe(r.Message.Key, r.Message.Value, r.Message.Headers)), records.ConvertAll(r => Describe(r.Key, r.Value, r.Headers)), topic);
        if (acks != Acks.None)
        {
            Expect(got.ConvertAll(r => CompatClient.Text(r.Message.Value)).SequenceEqual(records.ConvertAll(r => CompatClient.Text(r.Value))), "order differs from send order");
        }
    });
}

await checks.RunAsync("null values, null keys and empty values", () =>
{
    var topic = $"{prefix}-nulls";
    client.ProduceAll(new ProducerConfig { Acks = Acks.All }, topic,
    [
        new() { Key = "tombstone"u8.ToArray(), Value = null },
        new() { Key = null, Value = "no-key"u8.ToArray() },
        new() { Key = "empty"u8.ToArray(), Value = [] },
    ]);
    var got = client.Consume(topic, Offset.Beginning, 3).ConvertAll(r => $"{CompatClient.Text(r.Message.Key) ?? "NULL"}={CompatClient.Text(r.Message.Value) ?? "NULL"}");
    Expect(got.SequenceEqual(["tombstone=NULL", "NULL=no-key", "empty="]), $"got {string.Join(" ", got)}");
});

await checks.RunAsync("large batch: 10,000 records", () =>
{
    var topic = $"{prefix}-batch";
    var records = Enumerable.Range(0, 10_000).Select(i => new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes($"r{i:00000}") }).ToList();
    client.ProduceAll(new ProducerConfig { Acks = Acks.Leader, LingerMs = 50, MaxInFlight = 5 }, topic, records);
    var got = client.Consume(topic, Offset.Beginning, records.Count);
    CompatClient.ExpectContiguous(got, 0, topic);
    CompatClient.ExpectSameSet(got.ConvertAll(r => CompatClient.Text(r.Message.Value)!), records.ConvertAll(r => CompatClient.Text(r.Value)!), topic);
});

await checks.RunAsync("a ~900 KB record", () =>
{
    var topic = $"{prefix}-big";
    var value = RandomNumberGenerator.GetBytes(900 * 1024);
    client.ProduceAll(new ProducerConfig { Acks = Acks.All }, topic, [new() { Key = "big"u8.ToArray(), Value = value }]);
    var got = client.Consume(topic, Offset.Beginning, 1)[0].Message.Value;
    Expect(got is not null && got.AsSpan().SequenceEqual(value), $"value differs ({got?.Length} bytes)");
});

var positions = $"{prefix}-positions";
var baseMs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 3_600_000) / 1000 * 1000;
var stamps = Enumerable.Range(0, 10).Select(i => baseMs + (i * 1000)).ToList();

await checks.RunAsync("create-time timestamps round-trip", () =>
{
    client.ProduceAll(new ProducerConfig { Acks = Acks.All }, positions,
        stamps.Select((ts, i) => new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes($"t{i}"), Timestamp = new Timestamp(ts, TimestampType.CreateTime) }).ToList());
    var got = client.Consume(positions, Offset.Beginning, 10).ConvertAll(r => r.Message.Timestamp.UnixTimestampMs);
    Expect(got.SequenceEqual(stamps), $"timestamps {string.Join(",", got)}");
});

await checks.RunAsync("offsets for times (ListOffsets by timestamp)", () =>
{
    using var consumer = client.NewConsumer();
    long At(long ts) => consumer.OffsetsForTimes([new TopicPartitionTimestamp(positions, 0, new Timestamp(ts, TimestampType.CreateTime))], TimeSpan.FromSeconds(30))[0].Offset.Value;
    Expect(At(stamps[0]) == 0, "first timestamp");
    var mid = At(stamps[4] + 500);
    Expect(mid == 5, $"first offset at or after t4+500 ms is {mid}, expected 5");
    var after = At(stamps[9] + 1);
    Expect(after is -1 or 10, $"after the last timestamp: {after}");
    var got = client.Consume(positions, new Offset(mid), 1)[0];
    Expect(got.Offset.Value == 5 && CompatClient.Text(got.Message.Value) == "t5", $"consuming from {mid} gave {got.Offset}");
});

await checks.RunAsync("watermarks (earliest and latest offsets)", () =>
{
    using var consumer = client.NewConsumer();
    var w = consumer.QueryWatermarkOffsets(new TopicPartition(positions, 0), TimeSpan.FromSeconds(30));
    Expect(w.Low.Value == 0 && w.High.Value == 10, $"watermarks {w.Low}..{w.High}");
});

await checks.RunAsync("consume from an absolute offset and seek", async () =>
{
    using var consumer = client.NewConsumer();
    consumer.Assign(new TopicPartitionOffset(positions, 0, 3));
    var first = await WaitUntilAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), "a record from offset 3");
    Expect(first.Offset.Value == 3, $"first record at {first.Offset}");
    consumer.Seek(new TopicPartitionOffset(positions, 0, 8));
    var after = await WaitUntilAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), "a record after seek");
    Expect(after.Offset.Value == 8 && CompatClient.Text(after.Message.Value) == "t8", $"after seek got offset {after.Offset}");
    consumer.Seek(new TopicPartitionOffset(positions, 0, 1));
    var back = await WaitUntilAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), "a record after seeking back");
    Expect(back.Offset.Value == 1, $"after seeking back got offset {back.Offset}");
    consumer.Close();
});

await checks.RunAsync("consume from latest sees only new records", () =>
{
    using var consumer = client.NewConsumer();
    using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build();
    consumer.Assign(new TopicPartitionOffset(positions, 0, Offset.End));
    // The end offset is resolved asynchronously: keep producing until one of the new records arrives.
    ConsumeResult<byte[]?, byte[]?>? got = null;
    var deadline = DateTime.UtcNow.AddSeconds(60);
    for (var i = 0; got is null; i++)
    {
        Expect(DateTime.UtcNow < deadline, "no record arrived from latest within 60 s");
        producer.ProduceAsync(new TopicPartition(positions, 0), new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes($"late-{i}") }).GetAwaiter().GetResult();
        got = consumer.Consume(TimeSpan.FromSeconds(1));
    }

    Expect(CompatClient.Text(got.Message.Value)!.StartsWith("late-", StringComparison.Ordinal) && got.Offset.Value >= 10, $"got {CompatClient.Text(got.Message.Value)} at {got.Offset}");
    consumer.Close();
});

foreach (var codec in new[] { CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd })
{
    await checks.RunAsync($"compression {codec}: produce and consume", () =>
    {
        var topic = $"{prefix}-{codec}".ToLowerInvariant();
        var records = Enumerable.Range(0, 1000).Select(i => new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"k{i}"),
            Value = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"{codec} record {i} ", 8))),
        }).ToList();
        // librdkafka says "not compressing batch" (msg debug facility) when the broker lacks a codec's versions
        var logged = client.ProduceAll(new ProducerConfig { Acks = Acks.Leader, CompressionType = codec, LingerMs = 20, Debug = "msg" }, topic, records,
            logFilter: m => m.Contains("not compressing", StringComparison.Ordinal) || m.Contains("Produce MessageSet with", StringComparison.Ordinal));
        var warning = logged.Find(m => m.Contains("not compressing", StringComparison.Ordinal));
        Expect(warning is null, $"librdkafka did not compress: {warning}");
        var name = codec.ToString().ToLowerInvariant();
        var messageSets = logged.FindAll(m => m.Contains("Produce MessageSet with", StringComparison.Ordinal));
        Expect(messageSets.Count > 0 && messageSets.TrueForAll(m => m.EndsWith($", {name})", StringComparison.Ordinal)),
            $"librdkafka's MessageSets are not all {name}: {messageSets.FirstOrDefault()}");
        var got = client.Consume(topic, Offset.Beginning, records.Count);
        CompatClient.ExpectContiguous(got, 0, topic);
        Expect(got.ConvertAll(r => CompatClient.Text(r.Message.Value)).SequenceEqual(records.ConvertAll(r => CompatClient.Text(r.Value))), "records differ");
    });
}

await checks.RunAsync("idempotent producer (InitProducerId, sequenced batches)", () =>
{
    var topic = $"{prefix}-idempotent";
    var records = CompatClient.SimpleRecords(500, "idem");
    client.ProduceAll(new ProducerConfig { EnableIdempotence = true, Acks = Acks.All, MaxInFlight = 5 }, topic, records);
    var got = client.Consume(topic, Offset.Beginning, records.Count);
    Expect(got.ConvertAll(r => CompatClient.Text(r.Message.Value)).SequenceEqual(records.ConvertAll(r => CompatClient.Text(r.Value))), "order or content differs");
});

if (checks.FailureCount > 0)
{
    Console.WriteLine($"Confluent.Kafka: {checks.FailureCount} check(s) FAILED: {checks.Failures}");
    return 1;
}

Console.WriteLine("Confluent.Kafka: all checks passed");
return 0;
