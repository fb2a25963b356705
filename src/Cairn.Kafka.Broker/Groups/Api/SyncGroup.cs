namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>A SyncGroup request. Only the leader sends assignments.</summary>
public sealed record SyncGroupInput(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);

/// <summary>The SyncGroup answer: this member's assignment bytes, passed through from the leader.</summary>
public sealed record SyncGroupOutput(GroupErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupOutput Failure(GroupErrorCode error) => new(error, null, null, []);
}
