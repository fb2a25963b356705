// Kafka load program: produce throughput (acks=1, 100 B and 1 KiB records, 1 and 8 partitions), consume
// throughput, and produce latency at a fixed rate, against a running broker.
//   dotnet Cairn.Bench.KafkaLoad.dll --bootstrap 127.0.0.1:9092 [--seconds 10] [--warmup 3] [--connections 1]
//       [--in-flight 8] [--batch-bytes 131072] [--only produce|latency] [--latency-rate N]
// bench/Cairn.Bench.KafkaLoad/run.sh starts a broker and measures the physical limits beside it.
using System.Globalization;
using Cairn.Bench.KafkaLoad;

var options = Options.Parse(args);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = cts.Token;
var load = new LoadScenarios(options.Bootstrap);
var runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
var duration = TimeSpan.FromSeconds(options.Seconds);
Console.WriteLine($"broker {options.Bootstrap}, {options.Connections} connection(s), {options.InFlight} requests in flight each, batches of ~{options.BatchBytes} B, acks=1, uncompressed");
Console.WriteLine("| scenario | records/s | MB/s (values) | p50 ms | p99 ms | p99.9 ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");

double best100 = 0;
foreach (var (size, partitions) in new[] { (100, 1), (100, 8), (1024, 1), (1024, 8) })
{
    if (options.Only is not null and not "produce")
    {
        break;
    }

    var topic = $"bench-{runId}-{size}b-{partitions}p";
    await load.CreateTopicAsync(topic, partitions, ct);
    var perBatch = RecordBatchBuilder.RecordsPerBatch(size, options.BatchBytes / partitions);
    var produced = await load.ProduceAsync(topic, partitions, size, perBatch, options.Connections, options.InFlight, warmup, duration, null, ct);
    Print($"produce {size} B, {partitions} partition(s), {perBatch} records/batch", produced.RecordsPerSecond, produced.MegabytesPerSecond, produced);
    if (size == 100 && partitions == 1)
    {
        best100 = produced.RecordsPerSecond;
    }

    var consumed = await load.ConsumeAsync(topic, partitions, ct);
    var consumeRate = consumed.Records / consumed.Elapsed.TotalSeconds;
    Print($"consume {size} B, {partitions} partition(s) ({consumed.Records:N0} records)", consumeRate, consumed.Records * (double)size / consumed.Elapsed.TotalSeconds / 1e6, null);
}

if (options.Only is null or "latency")
{
    var rate = options.LatencyRate ?? (best100 > 0 ? best100 / 2 : 250_000);
    var topic = $"bench-{runId}-latency";
    await load.CreateTopicAsync(topic, 1, ct);
    // about one request per millisecond, like a producer lingering 1 ms
    var perBatch = Math.Max(1, (int)(rate / 1000));
    var result = await load.ProduceAsync(topic, 1, 100, perBatch, 1, 1000, warmup, duration, rate, ct);
    Print($"produce latency at {rate:N0} records/s (100 B, 1 partition, {perBatch} records/request)", result.RecordsPerSecond, result.MegabytesPerSecond, result);
}

return 0;

static void Print(string scenario, double recordsPerSecond, double megabytesPerSecond, ProduceResult? latency) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario} | {recordsPerSecond:N0} | {megabytesPerSecond:N1} | {Ms(latency, 50)} | {Ms(latency, 99)} | {Ms(latency, 99.9)} |"));

static string Ms(ProduceResult? result, double percentile) =>
    result is null ? "" : result.Percentile(percentile).ToString("0.00", CultureInfo.InvariantCulture);

internal sealed record Options(string Bootstrap, int Seconds, int WarmupSeconds, int Connections, int InFlight, int BatchBytes, string? Only, double? LatencyRate)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var bootstrap = Get("--bootstrap", "");
        if (bootstrap.Length == 0)
        {
            Console.Error.WriteLine("usage: Cairn.Bench.KafkaLoad --bootstrap HOST:PORT [--seconds 10] [--warmup 3] [--connections 1] [--in-flight 8] [--batch-bytes 131072] [--only produce|latency] [--latency-rate N]");
            Environment.Exit(2);
        }

        var rate = Get("--latency-rate", "");
        return new Options(
            bootstrap,
            int.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("--warmup", "3"), CultureInfo.InvariantCulture),
            int.Parse(Get("--connections", "1"), CultureInfo.InvariantCulture),
            int.Parse(Get("--in-flight", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("--batch-bytes", "131072"), CultureInfo.InvariantCulture),
            Get("--only", "") is { Length: > 0 } only ? only : null,
            rate.Length > 0 ? double.Parse(rate, CultureInfo.InvariantCulture) : null);
    }
}
