using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Bench.KafkaLoad;

/// <summary>What one produce run achieved.</summary>
internal sealed record ProduceResult(long Records, long Bytes, TimeSpan Elapsed, long[] LatenciesMicros)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / Elapsed.TotalSeconds / 1e6;

    public double Percentile(double p)
    {
        if (LatenciesMicros.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (long[])LatenciesMicros.Clone();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)] / 1000.0;
    }
}

/// <summary>Produce and fetch load against one broker, each request built once and re-sent with a new correlation id.</summary>
internal sealed class LoadScenarios(string bootstrap)
{
    private const short ProduceVersion = 7;
    private const short FetchVersion = 11;

    public async Task CreateTopicAsync(string topic, int partitions, CancellationToken ct)
    {
        await using var connection = await KafkaConnection.ConnectAsync(bootstrap, ct);
        var response = await connection.RoundTripAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 4, new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }],
            timeoutMs = 30000,
        }, ct);
        var error = response.Topics[0].ErrorCode;
        if (error is not 0 and not 36)
        {
            throw new InvalidOperationException($"CreateTopics {topic}: error {error} {response.Topics[0].ErrorMessage}");
        }
    }

    /// <summary>
    /// Produces for <paramref name="duration"/> as fast as acknowledgements allow, or at
    /// <paramref name="recordsPerSecond"/> when given (open loop: latency counts from each request's scheduled time).
    /// Each request carries one batch per partition.
    /// </summary>
    public async Task<ProduceResult> ProduceAsync(string topic, int partitions, int valueSize, int recordsPerBatch, int connections,
        int inFlight, TimeSpan warmup, TimeSpan duration, double? recordsPerSecond, CancellationToken ct)
    {
        var batch = RecordBatchBuilder.Build(recordsPerBatch, valueSize, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic }],
        };
        for (var p = 0; p < partitions; p++)
        {
            request.TopicData[0].PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = p, Records = batch });
        }

        var recordsPerRequest = (long)recordsPerBatch * partitions;
        var bytesPerRequest = (long)valueSize * recordsPerRequest;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var measureTo = warmup + duration;
        long acked = 0;
        var latencies = new ConcurrentBag<long[]>();
        var interval = recordsPerSecond is { } rate ? TimeSpan.FromSeconds(recordsPerRequest * connections / rate) : TimeSpan.Zero;

        async Task RunConnectionAsync(int index)
        {
            await using var connection = await KafkaConnection.ConnectAsync(bootstrap, ct);
            var frame = KafkaConnection.Encode(ApiKey.Produce, ProduceVersion, request);
            var slots = new SemaphoreSlim(inFlight);
            var sent = Channel.CreateUnbounded<(int CorrelationId, TimeSpan Scheduled)>();
            var myLatencies = new List<long>(1 << 16);
            var stop = false;

            var receiver = Task.Run(async () =>
            {
                await foreach (var (id, scheduled) in sent.Reader.ReadAllAsync(ct))
                {
                    var body = await connection.ReceiveAsync(id, ct);
                    var response = KafkaConnection.Decode<ProduceResponse>(body, ProduceVersion);
                    foreach (var partition in response.Responses[0].PartitionResponses)
                    {
                        if (partition.ErrorCode != 0)
                        {
                            throw new InvalidOperationException($"produce to {topic}-{partition.Index}: error {partition.ErrorCode}");
                        }
                    }

                    var now = clock.Elapsed;
                    if (scheduled >= measureFrom && scheduled < measureTo)
                    {
                        Interlocked.Add(ref acked, recordsPerRequest);
                        myLatencies.Add((long)(now - scheduled).TotalMicroseconds);
                    }

                    slots.Release();
                }
            }, ct);

            var next = clock.Elapsed + (interval * index / connections);
            while (!stop)
            {
                TimeSpan scheduled;
                if (interval > TimeSpan.Zero)
                {
                    var wait = next - clock.Elapsed;
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, ct);
                    }

                    scheduled = next;
                    next += interval;
                }
                else
                {
                    scheduled = clock.Elapsed;
                }

                await slots.WaitAsync(ct);
                var id = connection.SetCorrelationId(frame);
                await sent.Writer.WriteAsync((id, scheduled), ct);
                await connection.SendAsync(frame, ct);
                stop = scheduled >= measureTo;
            }

            sent.Writer.Complete();
            await receiver;
            latencies.Add([.. myLatencies]);
        }

        var tasks = new Task[connections];
        for (var c = 0; c < connections; c++)
        {
            var index = c;
            tasks[c] = Task.Run(() => RunConnectionAsync(index), ct);
        }

        await Task.WhenAll(tasks);
        var all = latencies.SelectMany(l => l).ToArray();
        return new ProduceResult(acked, acked * valueSize, duration, all);
    }

    /// <summary>Fetches every partition from offset 0 to its end with one fetch in flight, as consumers do.</summary>
    public async Task<(long Records, long Bytes, TimeSpan Elapsed)> ConsumeAsync(string topic, int partitions, CancellationToken ct)
    {
        await using var connection = await KafkaConnection.ConnectAsync(bootstrap, ct);
        var ends = await EndOffsetsAsync(connection, topic, partitions, ct);
        var next = new long[partitions];
        long records = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        var request = new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 500,
            MinBytes = 1,
            MaxBytes = 64 << 20,
            IsolationLevel = 0,
            Topics = [new FetchRequest.FetchTopic { Topic = topic }],
        };
        for (var p = 0; p < partitions; p++)
        {
            request.Topics[0].Partitions.Add(new FetchRequest.FetchPartition { Partition = p, PartitionMaxBytes = 16 << 20 });
        }

        while (true)
        {
            var done = true;
            for (var p = 0; p < partitions; p++)
            {
                request.Topics[0].Partitions[p].FetchOffset = next[p];
                done &= next[p] >= ends[p];
            }

            if (done)
            {
                break;
            }

            var response = await connection.RoundTripAsync<FetchResponse>(ApiKey.Fetch, FetchVersion, request, ct);
            foreach (var partition in response.Responses[0].Partitions)
            {
                if (partition.ErrorCode != 0)
                {
                    throw new InvalidOperationException($"fetch {topic}-{partition.PartitionIndex}: error {partition.ErrorCode}");
                }

                if (partition.Records is { } blob)
                {
                    var (count, nextOffset) = RecordBatchBuilder.CountBatches(blob.Span, next[partition.PartitionIndex]);
                    records += count;
                    bytes += blob.Length;
                    next[partition.PartitionIndex] = nextOffset;
                }
            }
        }

        return (records, bytes, clock.Elapsed);
    }

    private static async Task<long[]> EndOffsetsAsync(KafkaConnection connection, string topic, int partitions, CancellationToken ct)
    {
        var request = new ListOffsetsRequest { ReplicaId = -1, Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = topic }] };
        for (var p = 0; p < partitions; p++)
        {
            request.Topics[0].Partitions.Add(new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = -1 });
        }

        var response = await connection.RoundTripAsync<ListOffsetsResponse>(ApiKey.ListOffsets, 2, request, ct);
        var ends = new long[partitions];
        foreach (var partition in response.Topics[0].Partitions)
        {
            ends[partition.PartitionIndex] = partition.Offset;
        }

        return ends;
    }
}
