using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>
/// The classic-protocol group coordinator as a pure state machine. It is not thread-safe: every call,
/// including the timer callbacks it schedules through <c>post</c>, must run on one logical thread
/// (<see cref="GroupCoordinatorLoop"/> provides that in the broker; tests call it directly on a fake clock).
/// Answers that wait for a rebalance are delivered through callbacks.
/// </summary>
public sealed partial class GroupCoordinator
{
    private readonly Dictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly GroupCoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly IGroupLog _log;
    private readonly Action<Action> _post;
    private readonly Func<string, int, bool> _partitionExists;
    private ITimer? _retentionTimer;

    /// <summary>
    /// Creates a coordinator. <paramref name="post"/> runs an action on the coordinator's thread (timer callbacks go
    /// through it); <paramref name="partitionExists"/> says whether a topic partition exists (commits to unknown ones fail).
    /// </summary>
    /// <param name="options">Kafka's group settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">Where commits and group metadata are written.</param>
    /// <param name="post">Runs an action on the coordinator's thread.</param>
    /// <param name="partitionExists">Whether a topic partition exists.</param>
    public GroupCoordinator(
        GroupCoordinatorOptions options,
        TimeProvider time,
        IGroupLog log,
        Action<Action> post,
        Func<string, int, bool>? partitionExists = null)
    {
        _options = options;
        _time = time;
        _log = log;
        _post = post;
        _partitionExists = partitionExists ?? ((_, _) => true);
    }

    /// <summary>Starts the periodic expiry of old committed offsets.</summary>
    public void StartOffsetsRetention()
    {
        _retentionTimer ??= _time.CreateTimer(
            _ => _post(ExpireOffsets), null, _options.OffsetsRetentionCheckInterval, _options.OffsetsRetentionCheckInterval);
    }

    /// <summary>Number of groups (any state but Dead).</summary>
    public int GroupCount => _groups.Count;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private ConsumerGroup GetOrCreate(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            group = new ConsumerGroup(groupId, NowMs);
            _groups.Add(groupId, group);
        }

        return group;
    }

    private static bool IsValidGroupId(string? groupId) => !string.IsNullOrEmpty(groupId);

    /// <summary>The state of a group, or null when unknown (for diagnostics and tests).</summary>
    public GroupState? StateOf(string groupId) => _groups.TryGetValue(groupId, out var g) ? g.State : null;

    /// <summary>Current generation of a group, or null when unknown.</summary>
    public int? GenerationOf(string groupId) => _groups.TryGetValue(groupId, out var g) ? g.GenerationId : null;

    private void StoreGroup(ConsumerGroup group)
    {
        var members = new List<StoredMember>(group.Members.Count);
        foreach (var m in group.Members)
        {
            members.Add(new StoredMember(
                m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs, m.SessionTimeoutMs,
                group.ProtocolName is null ? [] : m.MetadataFor(group.ProtocolName), m.Assignment));
        }

        _log.WriteGroup(group.GroupId, new StoredGroup(group.ProtocolType, group.GenerationId, group.ProtocolName, group.LeaderId, group.StateTimestampMs, members));
    }
}
