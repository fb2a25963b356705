namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>A member in a DescribeGroups answer.</summary>
public sealed record DescribedMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

/// <summary>One group in a DescribeGroups answer.</summary>
public sealed record DescribedGroup(string GroupId, GroupErrorCode Error, string State, string ProtocolType, string ProtocolName, IReadOnlyList<DescribedMember> Members);

/// <summary>One group in a ListGroups answer.</summary>
public sealed record ListedGroup(string GroupId, string ProtocolType, string State);

/// <summary>Per-group outcome of DeleteGroups.</summary>
public sealed record DeletedGroup(string GroupId, GroupErrorCode Error);

/// <summary>The OffsetDelete answer: a top-level error plus per-partition errors.</summary>
public sealed record OffsetDeleteOutput(GroupErrorCode Error, IReadOnlyList<OffsetCommitPartitionResult> Partitions);
