namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>One partition's offset to commit.</summary>
public sealed record OffsetCommitPartition(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata);

/// <summary>An OffsetCommit request. Generation -1 with an empty member id is a "simple" (unmanaged) commit.</summary>
public sealed record OffsetCommitInput(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<OffsetCommitPartition> Partitions);

/// <summary>Per-partition outcome of a commit.</summary>
public sealed record OffsetCommitPartitionResult(string Topic, int Partition, GroupErrorCode Error);
