namespace Cairn.Kafka.Broker.Groups;

/// <summary>A committed offset as stored in <c>__consumer_offsets</c>.</summary>
public sealed record CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestampMs);

/// <summary>A member as stored in the group-metadata record.</summary>
public sealed record StoredMember(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    byte[] Subscription,
    byte[] Assignment);

/// <summary>A group's durable state (Kafka's GroupMetadataValue).</summary>
public sealed record StoredGroup(
    string? ProtocolType,
    int GenerationId,
    string? ProtocolName,
    string? LeaderId,
    long CurrentStateTimestampMs,
    IReadOnlyList<StoredMember> Members);

/// <summary>
/// Where the coordinator writes what must survive a restart. Implementations append to the internal
/// compacted topic; a null value is a tombstone.
/// </summary>
public interface IGroupLog
{
    void WriteOffset(string groupId, string topic, int partition, CommittedOffset? offset);

    void WriteGroup(string groupId, StoredGroup? group);
}

/// <summary>A log that keeps nothing: for tests and for brokers without an offsets topic.</summary>
public sealed class NullGroupLog : IGroupLog
{
    public static readonly NullGroupLog Instance = new();

    public void WriteOffset(string groupId, string topic, int partition, CommittedOffset? offset)
    {
    }

    public void WriteGroup(string groupId, StoredGroup? group)
    {
    }
}
