using System.Text;
using Cairn.Kafka.Broker.Groups.Api;

namespace Cairn.Kafka.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>Handles OffsetCommit, including "simple" commits (generation -1, no member) on groups without members.</summary>
    public IReadOnlyList<OffsetCommitPartitionResult> OffsetCommit(OffsetCommitInput input)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            return AllFailed(input.Partitions, GroupErrorCode.InvalidGroupId);
        }

        if (!_groups.TryGetValue(input.GroupId, out var group))
        {
            if (input.GenerationId >= 0)
            {
                // The group does not exist, so it cannot be at any generation.
                return AllFailed(input.Partitions, GroupErrorCode.IllegalGeneration);
            }

            group = GetOrCreate(input.GroupId);
        }

        var error = ValidateCommit(group, input);
        if (error == GroupErrorCode.None)
        {
            switch (group.State)
            {
                case GroupState.CompletingRebalance:
                    error = GroupErrorCode.RebalanceInProgress;
                    break;
                case GroupState.Stable:
                case GroupState.PreparingRebalance:
                    ArmSession(group, group.Find(input.MemberId)!);
                    break;
            }
        }

        if (error != GroupErrorCode.None)
        {
            if (group.State == GroupState.Empty && group.Offsets.Count == 0 && group.GenerationId == 0)
            {
                _groups.Remove(group.GroupId);
            }

            return AllFailed(input.Partitions, error);
        }

        var now = NowMs;
        var results = new List<OffsetCommitPartitionResult>(input.Partitions.Count);
        foreach (var p in input.Partitions)
        {
            GroupErrorCode partitionError;
            if (p.Metadata is not null && Encoding.UTF8.GetByteCount(p.Metadata) > _options.OffsetMetadataMaxBytes)
            {
                partitionError = GroupErrorCode.OffsetMetadataTooLarge;
            }
            else if (!_partitionExists(p.Topic, p.Partition))
            {
                partitionError = GroupErrorCode.UnknownTopicOrPartition;
            }
            else
            {
                var committed = new CommittedOffset(p.Offset, p.LeaderEpoch, p.Metadata ?? "", now);
                _log.WriteOffset(group.GroupId, p.Topic, p.Partition, committed);
                group.Offsets[(p.Topic, p.Partition)] = committed;
                partitionError = GroupErrorCode.None;
            }

            results.Add(new OffsetCommitPartitionResult(p.Topic, p.Partition, partitionError));
        }

        if (group.State == GroupState.Empty && group.Offsets.Count == 0 && group.GenerationId == 0)
        {
            _groups.Remove(group.GroupId);
        }

        return results;
    }

    private static GroupErrorCode ValidateCommit(ConsumerGroup group, OffsetCommitInput input)
    {
        if (group.State == GroupState.Dead)
        {
            return GroupErrorCode.CoordinatorNotAvailable;
        }

        if (input.GenerationId >= 0 || input.MemberId.Length > 0 || input.GroupInstanceId is not null)
        {
            if (group.IsStaticMemberFenced(input.GroupInstanceId, input.MemberId))
            {
                return GroupErrorCode.FencedInstanceId;
            }

            if (!group.Has(input.MemberId))
            {
                return GroupErrorCode.UnknownMemberId;
            }

            return input.GenerationId != group.GenerationId ? GroupErrorCode.IllegalGeneration : GroupErrorCode.None;
        }

        // Without member identity only a group without members accepts commits.
        return group.State == GroupState.Empty ? GroupErrorCode.None : GroupErrorCode.UnknownMemberId;
    }

    private static List<OffsetCommitPartitionResult> AllFailed(IReadOnlyList<OffsetCommitPartition> partitions, GroupErrorCode error)
    {
        var results = new List<OffsetCommitPartitionResult>(partitions.Count);
        foreach (var p in partitions)
        {
            results.Add(new OffsetCommitPartitionResult(p.Topic, p.Partition, error));
        }

        return results;
    }

    /// <summary>Handles OffsetFetch: committed offsets, -1 for partitions without one, everything when topics is null.</summary>
    public OffsetFetchOutput OffsetFetch(OffsetFetchInput input)
    {
        if (!IsValidGroupId(input.GroupId))
        {
            return new OffsetFetchOutput(GroupErrorCode.InvalidGroupId, []);
        }

        _groups.TryGetValue(input.GroupId, out var group);
        var results = new List<OffsetFetchPartition>();
        if (input.Topics is null)
        {
            if (group is not null)
            {
                foreach (var ((topic, partition), committed) in group.Offsets)
                {
                    results.Add(new OffsetFetchPartition(topic, partition, committed.Offset, committed.LeaderEpoch, committed.Metadata, GroupErrorCode.None));
                }
            }

            return new OffsetFetchOutput(GroupErrorCode.None, results);
        }

        foreach (var t in input.Topics)
        {
            foreach (var partition in t.Partitions)
            {
                if (group is not null && group.Offsets.TryGetValue((t.Topic, partition), out var committed))
                {
                    results.Add(new OffsetFetchPartition(t.Topic, partition, committed.Offset, committed.LeaderEpoch, committed.Metadata, GroupErrorCode.None));
                }
                else
                {
                    results.Add(new OffsetFetchPartition(t.Topic, partition, -1, -1, "", GroupErrorCode.None));
                }
            }
        }

        return new OffsetFetchOutput(GroupErrorCode.None, results);
    }

    /// <summary>Handles OffsetDelete: topics a member still subscribes to are refused with GROUP_SUBSCRIBED_TO_TOPIC.</summary>
    public OffsetDeleteOutput OffsetDelete(string groupId, IReadOnlyList<TopicPartitions> topics)
    {
        if (!IsValidGroupId(groupId))
        {
            return new OffsetDeleteOutput(GroupErrorCode.InvalidGroupId, []);
        }

        if (!_groups.TryGetValue(groupId, out var group) || group.State == GroupState.Dead)
        {
            return new OffsetDeleteOutput(GroupErrorCode.GroupIdNotFound, []);
        }

        var empty = group.State == GroupState.Empty;
        if (!empty && group.ProtocolType != "consumer")
        {
            return new OffsetDeleteOutput(GroupErrorCode.NonEmptyGroup, []);
        }

        var results = new List<OffsetCommitPartitionResult>();
        foreach (var t in topics)
        {
            var subscribed = !empty && group.IsSubscribedTo(t.Topic);
            foreach (var partition in t.Partitions)
            {
                if (subscribed)
                {
                    results.Add(new OffsetCommitPartitionResult(t.Topic, partition, GroupErrorCode.GroupSubscribedToTopic));
                    continue;
                }

                if (group.Offsets.Remove((t.Topic, partition)))
                {
                    _log.WriteOffset(groupId, t.Topic, partition, null);
                }

                results.Add(new OffsetCommitPartitionResult(t.Topic, partition, GroupErrorCode.None));
            }
        }

        DropIfEmptyAndOffsetless(group);
        return new OffsetDeleteOutput(GroupErrorCode.None, results);
    }

    /// <summary>
    /// offsets.retention.minutes (KIP-211): offsets of an Empty group expire once the group has been empty that long;
    /// a group left with neither members nor offsets disappears.
    /// </summary>
    public void ExpireOffsets()
    {
        var now = NowMs;
        var retentionMs = (long)_options.OffsetsRetention.TotalMilliseconds;
        List<ConsumerGroup>? emptied = null;
        foreach (var (_, group) in _groups)
        {
            if (group.State != GroupState.Empty || group.Offsets.Count == 0)
            {
                continue;
            }

            List<(string, int)>? expired = null;
            foreach (var (key, committed) in group.Offsets)
            {
                // Offsets committed after the group became empty (simple consumers) count from their own commit.
                var since = Math.Max(group.StateTimestampMs, committed.CommitTimestampMs);
                if (now - since >= retentionMs)
                {
                    (expired ??= []).Add(key);
                }
            }

            if (expired is null)
            {
                continue;
            }

            foreach (var key in expired)
            {
                group.Offsets.Remove(key);
                _log.WriteOffset(group.GroupId, key.Item1, key.Item2, null);
            }

            if (group.Offsets.Count == 0)
            {
                (emptied ??= []).Add(group);
            }
        }

        if (emptied is not null)
        {
            foreach (var group in emptied)
            {
                DropIfEmptyAndOffsetless(group);
            }
        }
    }

    private void DropIfEmptyAndOffsetless(ConsumerGroup group)
    {
        if (group.State == GroupState.Empty && group.Offsets.Count == 0 && group.Members.Count == 0)
        {
            group.TransitionTo(GroupState.Dead, NowMs);
            _groups.Remove(group.GroupId);
            _log.WriteGroup(group.GroupId, null);
        }
    }
}
