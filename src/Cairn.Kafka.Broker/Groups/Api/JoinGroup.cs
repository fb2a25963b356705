namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>One protocol a member can speak (an assignor name) with its opaque subscription metadata.</summary>
public sealed record GroupProtocol(string Name, byte[] Metadata);

/// <summary>
/// A JoinGroup request, independent of the wire version. <c>RequireKnownMemberId</c> is true from JoinGroup v4
/// (KIP-394): a new member first gets MEMBER_ID_REQUIRED.
/// </summary>
public sealed record JoinGroupInput(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ClientId,
    string ClientHost,
    bool RequireKnownMemberId);

/// <summary>A member as the leader sees it in its JoinGroup response.</summary>
public sealed record JoinGroupMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>The JoinGroup answer. <see cref="Members"/> is filled only for the leader.</summary>
public sealed record JoinGroupOutput(
    GroupErrorCode Error,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinGroupMember> Members)
{
    public static JoinGroupOutput Failure(GroupErrorCode error, string memberId = "") =>
        new(error, -1, null, null, "", memberId, []);
}
