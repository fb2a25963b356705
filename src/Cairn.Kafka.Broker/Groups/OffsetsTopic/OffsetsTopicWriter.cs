namespace Cairn.Kafka.Broker.Groups.OffsetsTopic;

/// <summary>
/// The <see cref="IGroupLog"/> of a broker: each commit or group change becomes a record in the offsets-topic
/// partition that owns the group, keyed so that compaction keeps the latest value per key.
/// </summary>
/// <param name="append">Appends one batch to a partition of <c>__consumer_offsets</c> (synchronously, on disk before it returns).</param>
/// <param name="partitionCount"><c>offsets.topic.num.partitions</c>.</param>
/// <param name="time">The clock for record timestamps.</param>
public sealed class OffsetsTopicWriter(Action<int, byte[]> append, int partitionCount, TimeProvider time) : IGroupLog
{
    public const string TopicName = "__consumer_offsets";

    public void WriteOffset(string groupId, string topic, int partition, CommittedOffset? offset) =>
        Append(groupId, OffsetsTopicRecord.OffsetKey(groupId, topic, partition), offset is null ? null : OffsetsTopicRecord.OffsetValue(offset));

    public void WriteGroup(string groupId, StoredGroup? group) =>
        Append(groupId, OffsetsTopicRecord.GroupKey(groupId), group is null ? null : OffsetsTopicRecord.GroupValue(group));

    private void Append(string groupId, byte[] key, byte[]? value) =>
        append(OffsetsTopicRecord.PartitionFor(groupId, partitionCount), OffsetsTopicBatch.Build([new(key, value)], time.GetUtcNow().ToUnixTimeMilliseconds()));
}
