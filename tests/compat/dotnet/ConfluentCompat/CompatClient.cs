using System.Text;
using Confluent.Kafka;
using static Cairn.Compat.ConfluentKafka.Checks;

namespace Cairn.Compat.ConfluentKafka;

/// <summary>Producing, consuming and offset queries the checks share; one broker, one topic prefix.</summary>
internal sealed class CompatClient(string bootstrap, string prefix)
{
    public static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    public static List<Message<byte[]?, byte[]?>> SimpleRecords(int count, string tag) =>
        Enumerable.Range(0, count).Select(i => new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"k{i}"),
            Value = Encoding.UTF8.GetBytes($"{tag}-{i}"),
            Headers = new Headers { { "h", Encoding.UTF8.GetBytes($"hv{i}") } },
        }).ToList();

    /// <summary>Produces every record to one partition and flushes; fails on any delivery error. Returns log lines matching the filter.</summary>
    public List<string> ProduceAll(ProducerConfig config, string topic, List<Message<byte[]?, byte[]?>> records, int partition = 0, Func<string, bool>? logFilter = null)
    {
        config.BootstrapServers = bootstrap;
        config.LingerMs ??= 5;
        config.MaxInFlight ??= 1;
        var logged = new List<string>();
        var builder = new ProducerBuilder<byte[]?, byte[]?>(config);
        if (logFilter is not null)
        {
            builder.SetLogHandler((_, m) =>
            {
                if (logFilter(m.Message))
                {
                    lock (logged)
                    {
                        logged.Add(m.Message);
                    }
                }
            });
        }

        using var producer = builder.Build();
        var errors = new List<string>();
        var target = new TopicPartition(topic, partition);
        foreach (var record in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(target, record, report =>
                    {
                        if (report.Error.IsError)
                        {
                            lock (errors)
                            {
                                errors.Add(report.Error.ToString());
                            }
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }

        var remaining = producer.Flush(TimeSpan.FromSeconds(60));
        Expect(remaining == 0, $"{remaining} records not delivered within 60 s");
        Expect(errors.Count == 0, $"delivery errors: {string.Join("; ", errors.Take(3))}");
        return logged;
    }

    public IConsumer<byte[]?, byte[]?> NewConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"{prefix}-unused",
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();

    public async Task WaitVisibleAsync(string topic, long count, int partition = 0)
    {
        using var consumer = NewConsumer();
        await WaitUntilAsync(
            () => consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value >= count ? "visible" : null,
            $"{count} records visible in {topic}");
    }

    public List<ConsumeResult<byte[]?, byte[]?>> Consume(string topic, Offset start, int count, int partition = 0)
    {
        using var consumer = NewConsumer();
        consumer.Assign(new TopicPartitionOffset(topic, partition, start));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (results.Count < count)
        {
            Expect(DateTime.UtcNow < deadline, $"consumed only {results.Count} of {count} records from {topic} within 60 s");
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }

    public static void ExpectContiguous(List<ConsumeResult<byte[]?, byte[]?>> got, long start, string what)
    {
        for (var i = 0; i < got.Count; i++)
        {
            Expect(got[i].Offset.Value == start + i, $"{what}: offset {got[i].Offset.Value} at position {i}, expected {start + i}");
        }
    }

    /// <summary>Every sent record was received; duplicates from client retries are allowed.</summary>
    public static void ExpectSameSet(List<string> received, List<string> sent, string what)
    {
        var r = received.ToHashSet();
        var s = sent.ToHashSet();
        var missing = s.Except(r).ToList();
        var unexpected = r.Except(s).ToList();
        Expect(missing.Count == 0 && unexpected.Count == 0, $"{what}: {missing.Count} missing (e.g. {string.Join(",", missing.Take(3))}), {unexpected.Count} unexpected (e.g. {string.Join(",", unexpected.Take(3))})");
        Expect(received.Count >= sent.Count, $"{what}: received {received.Count} < sent {sent.Count}");
    }
}
