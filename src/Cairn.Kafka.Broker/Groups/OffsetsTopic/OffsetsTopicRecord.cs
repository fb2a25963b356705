using System.Text;

namespace Cairn.Kafka.Broker.Groups.OffsetsTopic;

/// <summary>
/// Keys and values of <c>__consumer_offsets</c> records in Kafka's own formats (group-coordinator
/// OffsetCommitKey/Value and GroupMetadataKey/Value): key version 1 = committed offset (group, topic, partition),
/// key version 2 = group metadata (group). We write OffsetCommitValue v3 and GroupMetadataValue v3 and read v1-v3.
/// A null value is a tombstone, which compaction eventually removes.
/// </summary>
public static class OffsetsTopicRecord
{
    public static byte[] OffsetKey(string groupId, string topic, int partition)
    {
        var w = new BigEndianWriter();
        w.Int16(1);
        w.String(groupId);
        w.String(topic);
        w.Int32(partition);
        return w.ToArray();
    }

    public static byte[] OffsetValue(CommittedOffset offset)
    {
        var w = new BigEndianWriter();
        w.Int16(3);
        w.Int64(offset.Offset);
        w.Int32(offset.LeaderEpoch);
        w.String(offset.Metadata);
        w.Int64(offset.CommitTimestampMs);
        return w.ToArray();
    }

    public static byte[] GroupKey(string groupId)
    {
        var w = new BigEndianWriter();
        w.Int16(2);
        w.String(groupId);
        return w.ToArray();
    }

    public static byte[] GroupValue(StoredGroup group)
    {
        var w = new BigEndianWriter();
        w.Int16(3);
        w.String(group.ProtocolType ?? "");
        w.Int32(group.GenerationId);
        w.String(group.ProtocolName);
        w.String(group.LeaderId);
        w.Int64(group.CurrentStateTimestampMs);
        w.Int32(group.Members.Count);
        foreach (var m in group.Members)
        {
            w.String(m.MemberId);
            w.String(m.GroupInstanceId);
            w.String(m.ClientId);
            w.String(m.ClientHost);
            w.Int32(m.RebalanceTimeoutMs);
            w.Int32(m.SessionTimeoutMs);
            w.Bytes(m.Subscription);
            w.Bytes(m.Assignment);
        }

        return w.ToArray();
    }

    /// <summary>
    /// Applies one record to the coordinator. Unknown key versions and malformed records are skipped (false): a bad
    /// record must not stop the broker from loading everything else.
    /// </summary>
    public static bool Replay(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull, GroupCoordinator coordinator)
    {
        var k = new BigEndianReader(key);
        var keyVersion = k.Int16();
        switch (keyVersion)
        {
            case 0:
            case 1:
            {
                var group = k.String();
                var topic = k.String();
                var partition = k.Int32();
                if (k.Failed)
                {
                    return false;
                }

                if (valueIsNull)
                {
                    coordinator.LoadOffset(group, topic, partition, null);
                    return true;
                }

                if (!TryReadOffsetValue(value, out var offset))
                {
                    return false;
                }

                coordinator.LoadOffset(group, topic, partition, offset);
                return true;
            }

            case 2:
            {
                var group = k.String();
                if (k.Failed)
                {
                    return false;
                }

                if (valueIsNull)
                {
                    coordinator.LoadGroup(group, null);
                    return true;
                }

                if (!TryReadGroupValue(value, out var stored))
                {
                    return false;
                }

                coordinator.LoadGroup(group, stored);
                return true;
            }

            default:
                return false;
        }
    }

    public static bool TryReadOffsetValue(ReadOnlySpan<byte> value, out CommittedOffset offset)
    {
        var r = new BigEndianReader(value);
        var version = r.Int16();
        var committed = r.Int64();
        var leaderEpoch = version >= 3 ? r.Int32() : -1;
        var metadata = r.String();
        var timestamp = r.Int64();
        offset = new CommittedOffset(committed, leaderEpoch, metadata, timestamp);
        return !r.Failed && version is >= 0 and <= 4;
    }

    public static bool TryReadGroupValue(ReadOnlySpan<byte> value, out StoredGroup group)
    {
        var r = new BigEndianReader(value);
        var version = r.Int16();
        var protocolType = r.String();
        var generation = r.Int32();
        var protocol = r.NullableString();
        var leader = r.NullableString();
        var stateTimestamp = version >= 2 ? r.Int64() : -1;
        var count = r.Int32();
        var members = new List<StoredMember>(Math.Clamp(count, 0, 1024));
        for (var i = 0; i < count && !r.Failed; i++)
        {
            var memberId = r.String();
            var instanceId = version >= 3 ? r.NullableString() : null;
            var clientId = r.String();
            var clientHost = r.String();
            var rebalanceTimeout = version >= 1 ? r.Int32() : 0;
            var sessionTimeout = r.Int32();
            var subscription = r.Bytes();
            var assignment = r.Bytes();
            members.Add(new StoredMember(memberId, instanceId, clientId, clientHost, rebalanceTimeout == 0 ? sessionTimeout : rebalanceTimeout, sessionTimeout, subscription, assignment));
        }

        group = new StoredGroup(protocolType.Length == 0 ? null : protocolType, generation, protocol, leader, stateTimestamp, members);
        return !r.Failed && version is >= 0 and <= 3;
    }

    /// <summary>The offsets-topic partition that owns a group: abs(Java String.hashCode) mod the partition count.</summary>
    public static int PartitionFor(string groupId, int partitionCount)
    {
        var hash = 0;
        foreach (var c in groupId)
        {
            hash = unchecked((31 * hash) + c);
        }

        return (hash & 0x7fffffff) % partitionCount;
    }
}
