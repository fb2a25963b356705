using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>Handles DescribeGroups; unknown groups are reported as Dead with no error, as Kafka does.</summary>
    public IReadOnlyList<DescribedGroup> DescribeGroups(IReadOnlyList<string> groupIds)
    {
        var results = new List<DescribedGroup>(groupIds.Count);
        foreach (var id in groupIds)
        {
            if (!IsValidGroupId(id))
            {
                results.Add(new DescribedGroup(id, GroupErrorCode.InvalidGroupId, "", "", "", []));
                continue;
            }

            if (!_groups.TryGetValue(id, out var group))
            {
                results.Add(new DescribedGroup(id, GroupErrorCode.None, "Dead", "", "", []));
                continue;
            }

            var stable = group.State == GroupState.Stable;
            var members = new List<DescribedMember>(group.Members.Count);
            foreach (var m in group.Members)
            {
                members.Add(new DescribedMember(
                    m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                    stable ? m.MetadataFor(group.ProtocolName!) : [], stable ? m.Assignment : []));
            }

            results.Add(new DescribedGroup(id, GroupErrorCode.None, group.State.ToKafkaName(), group.ProtocolType ?? "", stable ? group.ProtocolName! : "", members));
        }

        return results;
    }

    /// <summary>Handles ListGroups; an empty or null filter lists every group.</summary>
    public IReadOnlyList<ListedGroup> ListGroups(IReadOnlyCollection<string>? statesFilter)
    {
        var results = new List<ListedGroup>(_groups.Count);
        foreach (var (id, group) in _groups)
        {
            var state = group.State.ToKafkaName();
            if (statesFilter is { Count: > 0 } && !ContainsIgnoreCase(statesFilter, state))
            {
                continue;
            }

            results.Add(new ListedGroup(id, group.ProtocolType ?? "", state));
        }

        return results;
    }

    private static bool ContainsIgnoreCase(IReadOnlyCollection<string> values, string value)
    {
        foreach (var v in values)
        {
            if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Handles DeleteGroups: only groups without members can go (NON_EMPTY_GROUP otherwise).</summary>
    public IReadOnlyList<DeletedGroup> DeleteGroups(IReadOnlyList<string> groupIds)
    {
        var results = new List<DeletedGroup>(groupIds.Count);
        foreach (var id in groupIds)
        {
            if (!IsValidGroupId(id))
            {
                results.Add(new DeletedGroup(id, GroupErrorCode.InvalidGroupId));
                continue;
            }

            if (!_groups.TryGetValue(id, out var group) || group.State == GroupState.Dead)
            {
                results.Add(new DeletedGroup(id, GroupErrorCode.GroupIdNotFound));
                continue;
            }

            if (group.State != GroupState.Empty)
            {
                results.Add(new DeletedGroup(id, GroupErrorCode.NonEmptyGroup));
                continue;
            }

            foreach (var ((topic, partition), _) in group.Offsets)
            {
                _log.WriteOffset(id, topic, partition, null);
            }

            group.Offsets.Clear();
            group.JoinTimer?.Dispose();
            group.TransitionTo(GroupState.Dead, NowMs);
            _groups.Remove(id);
            _log.WriteGroup(id, null);
            results.Add(new DeletedGroup(id, GroupErrorCode.None));
        }

        return results;
    }
}
