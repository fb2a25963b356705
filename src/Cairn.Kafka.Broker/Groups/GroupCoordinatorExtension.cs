using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Groups.Handlers;
using Cairn.Kafka.Broker.Groups.OffsetsTopic;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>
/// Plugs the group coordinator into the broker: registers the group APIs, creates and replays
/// <c>__consumer_offsets</c> at startup, and writes every commit and group change to it.
/// </summary>
public sealed partial class GroupCoordinatorExtension : IBrokerExtension
{
    private const int ReadChunkBytes = 1 << 20;
    private readonly BrokerServices _services;
    private readonly ILogger _logger;
    private readonly GroupCoordinatorLoop _loop;

    public GroupCoordinatorExtension(BrokerServices services)
    {
        _services = services;
        _logger = services.LoggerFactory.CreateLogger("Cairn.Kafka.Broker.Groups");
        var config = services.Config;
        var options = new GroupCoordinatorOptions
        {
            InitialRebalanceDelay = TimeSpan.FromMilliseconds(config.GetLong("group.initial.rebalance.delay.ms")),
            MinSessionTimeoutMs = config.GetInt("group.min.session.timeout.ms"),
            MaxSessionTimeoutMs = config.GetInt("group.max.session.timeout.ms"),
            OffsetsRetention = TimeSpan.FromMinutes(config.GetLong("offsets.retention.minutes")),
            OffsetsRetentionCheckInterval = TimeSpan.FromMilliseconds(config.Get("offsets.retention.check.interval.ms") is { } check ? long.Parse(check, System.Globalization.CultureInfo.InvariantCulture) : 600_000),
            OffsetMetadataMaxBytes = config.Get("offset.metadata.max.bytes") is { } max ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : 4096,
        };
        var writer = new OffsetsTopicWriter(AppendToOffsetsTopic, config.OffsetsTopicNumPartitions, services.Time);
        _loop = new GroupCoordinatorLoop(options, services.Time, writer, PartitionExists);
    }

    public void Register(ApiHandlerTable table) => new GroupApiHandlers(_loop, _services).Register(table);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var partitions = _services.Config.OffsetsTopicNumPartitions;
        await _services.EnsureInternalTopicAsync(
            OffsetsTopicWriter.TopicName,
            partitions,
            [new("cleanup.policy", "compact"), new("segment.bytes", _services.Config.Get("offsets.topic.segment.bytes") ?? "104857600")]).ConfigureAwait(false);

        var loaded = await _loop.InvokeAsync(c => Replay(c, partitions), cancellationToken).ConfigureAwait(false);
        await _loop.InvokeAsync(c =>
        {
            c.CompleteLoad();
            c.StartOffsetsRetention();
            return c.GroupCount;
        }, cancellationToken).ConfigureAwait(false);
        LogLoaded(_logger, loaded, partitions);
    }

    private long Replay(GroupCoordinator coordinator, int partitions)
    {
        long records = 0;
        for (var p = 0; p < partitions; p++)
        {
            var replica = _services.Replicas.Find(OffsetsTopicWriter.TopicName, p);
            if (replica is null)
            {
                continue;
            }

            var offset = replica.LogStartOffset;
            while (offset < replica.HighWatermark)
            {
                var bytes = replica.Log.ReadBytes(offset, ReadChunkBytes);
                OffsetsTopicBatch.ForEachRecord(bytes, (_, key, value, isNull) =>
                {
                    if (!OffsetsTopicRecord.Replay(key, value, isNull, coordinator))
                    {
                        LogSkippedRecord(_logger, p);
                    }

                    records++;
                }, out var next);
                if (next <= offset)
                {
                    break;
                }

                offset = next;
            }
        }

        return records;
    }

    private void AppendToOffsetsTopic(int partition, byte[] batch)
    {
        var replica = _services.Replicas.Find(OffsetsTopicWriter.TopicName, partition);
        if (replica is null)
        {
            LogAppendFailed(_logger, partition, -1);
            return;
        }

        var result = replica.Append(batch, guard: null);
        if (result.ErrorCode != 0)
        {
            LogAppendFailed(_logger, partition, result.ErrorCode);
        }
    }

    private bool PartitionExists(string topic, int partition) =>
        _services.Controller.FindTopic(topic) is { } t && partition >= 0 && partition < t.Partitions.Length;

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "group coordinator: replayed {Records} records from {Partitions} partitions of __consumer_offsets")]
    private static partial void LogLoaded(ILogger logger, long records, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "group coordinator: skipped a malformed record in __consumer_offsets-{Partition}")]
    private static partial void LogSkippedRecord(ILogger logger, int partition);

    [LoggerMessage(Level = LogLevel.Error, Message = "group coordinator: append to __consumer_offsets-{Partition} failed with error {ErrorCode}")]
    private static partial void LogAppendFailed(ILogger logger, int partition, short errorCode);
}
