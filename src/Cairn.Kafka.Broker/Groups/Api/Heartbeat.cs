namespace Cairn.Kafka.Broker.Groups.Api;

/// <summary>A Heartbeat request.</summary>
public sealed record HeartbeatInput(string GroupId, int GenerationId, string MemberId, string? GroupInstanceId);
