namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>A topic and the partitions asked for.</summary>
public sealed record TopicPartitions(string Topic, IReadOnlyList<int> Partitions);

/// <summary>An OffsetFetch request; <see cref="Topics"/> null means every partition the group has offsets for.</summary>
public sealed record OffsetFetchInput(string GroupId, IReadOnlyList<TopicPartitions>? Topics);

/// <summary>A committed offset (-1 when none).</summary>
public sealed record OffsetFetchPartition(string Topic, int Partition, long Offset, int LeaderEpoch, string Metadata, GroupErrorCode Error);

/// <summary>The OffsetFetch answer.</summary>
public sealed record OffsetFetchOutput(GroupErrorCode Error, IReadOnlyList<OffsetFetchPartition> Partitions);
