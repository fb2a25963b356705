namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>One member leaving: by member id (v0-2) or by member id and/or instance id (v3+).</summary>
public sealed record LeavingMember(string MemberId, string? GroupInstanceId);

/// <summary>A LeaveGroup request (v3+ carries several members; older versions one).</summary>
public sealed record LeaveGroupInput(string GroupId, IReadOnlyList<LeavingMember> Members);

/// <summary>Per-member outcome of a LeaveGroup.</summary>
public sealed record LeavingMemberResult(string MemberId, string? GroupInstanceId, GroupErrorCode Error);

/// <summary>The LeaveGroup answer: a top-level error plus one result per member.</summary>
public sealed record LeaveGroupOutput(GroupErrorCode Error, IReadOnlyList<LeavingMemberResult> Members);
