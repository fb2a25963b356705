using Cairn.Kafka.Broker.Groups;
using Cairn.Kafka.Broker.Groups.Api;
using Cairn.Testing;

namespace Cairn.Kafka.Broker.Tests.Groups;

/// <summary>A coordinator on a fake clock, with helpers that speak like the clients do.</summary>
internal sealed class GroupHarness
{
    public GroupHarness(TimeSpan? initialDelay = null, Func<string, int, bool>? partitionExists = null)
    {
        Options = new GroupCoordinatorOptions { InitialRebalanceDelay = initialDelay ?? TimeSpan.Zero };
        Coordinator = new GroupCoordinator(Options, Clock, Log, a => a(), partitionExists);
    }

    public FakeTimeProvider Clock { get; } = new();

    public RecordingGroupLog Log { get; } = new();

    public GroupCoordinatorOptions Options { get; }

    public GroupCoordinator Coordinator { get; }

    public static readonly GroupProtocol[] RangeRoundRobin = [new("range", [1]), new("roundrobin", [2])];

    public Answer<JoinGroupOutput> Join(
        string group, string memberId = "", IReadOnlyList<GroupProtocol>? protocols = null, string? instanceId = null,
        bool v4 = false, int sessionMs = 10_000, int rebalanceMs = 30_000, string protocolType = "consumer", string clientId = "c")
    {
        var answer = new Answer<JoinGroupOutput>();
        Coordinator.JoinGroup(
            new JoinGroupInput(group, memberId, instanceId, protocolType, protocols ?? RangeRoundRobin, sessionMs, rebalanceMs, clientId, "/127.0.0.1", v4),
            answer.Set);
        return answer;
    }

    public Answer<SyncGroupOutput> Sync(string group, int generation, string memberId, Dictionary<string, byte[]>? assignments = null, string? instanceId = null)
    {
        var answer = new Answer<SyncGroupOutput>();
        Coordinator.SyncGroup(new SyncGroupInput(group, generation, memberId, instanceId, null, null, assignments ?? []), answer.Set);
        return answer;
    }

    public GroupErrorCode Heartbeat(string group, int generation, string memberId, string? instanceId = null) =>
        Coordinator.Heartbeat(new HeartbeatInput(group, generation, memberId, instanceId));

    public IReadOnlyList<OffsetCommitPartitionResult> Commit(string group, int generation, string memberId, string topic, int partition, long offset, string? instanceId = null) =>
        Coordinator.OffsetCommit(new OffsetCommitInput(group, generation, memberId, instanceId, [new OffsetCommitPartition(topic, partition, offset, -1, null)]));

    public long Fetch(string group, string topic, int partition) =>
        Coordinator.OffsetFetch(new OffsetFetchInput(group, [new TopicPartitions(topic, [partition])])).Partitions[0].Offset;

    /// <summary>A single member joins (v2 style) and syncs; returns its id and the generation.</summary>
    public (string MemberId, int Generation) JoinAlone(string group, byte[]? assignment = null, string? instanceId = null, int sessionMs = 10_000)
    {
        var join = Join(group, instanceId: instanceId, sessionMs: sessionMs).Value;
        join.Error.ShouldBe(GroupErrorCode.None);
        var sync = Sync(group, join.GenerationId, join.MemberId, new() { [join.MemberId] = assignment ?? [9] }).Value;
        sync.Error.ShouldBe(GroupErrorCode.None);
        return (join.MemberId, join.GenerationId);
    }

    public void Advance(int ms) => Clock.Advance(TimeSpan.FromMilliseconds(ms));
}

/// <summary>An answer that may come later (JoinGroup and SyncGroup are held during a rebalance).</summary>
internal sealed class Answer<T>
    where T : class
{
    private T? _value;

    public int Count { get; private set; }

    public bool IsDone => _value is not null;

    public T Value => _value ?? throw new ShouldAssertException("no answer yet");

    public void Set(T value)
    {
        _value = value;
        Count++;
    }
}

/// <summary>Collects what the coordinator writes to the offsets topic.</summary>
internal sealed class RecordingGroupLog : IGroupLog
{
    public List<(string Group, string Topic, int Partition, CommittedOffset? Offset)> Offsets { get; } = [];

    public List<(string Group, StoredGroup? Group2)> Groups { get; } = [];

    public void WriteOffset(string groupId, string topic, int partition, CommittedOffset? offset) => Offsets.Add((groupId, topic, partition, offset));

    public void WriteGroup(string groupId, StoredGroup? group) => Groups.Add((groupId, group));
}
