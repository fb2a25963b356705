using Cairn.Kafka.Broker.Groups.Api;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Groups.Handlers;

public static partial class GroupMessages
{
    public static OffsetCommitInput ToInput(OffsetCommitRequest request, short version)
    {
        var partitions = new List<OffsetCommitPartition>();
        foreach (var t in request.Topics)
        {
            foreach (var p in t.Partitions)
            {
                partitions.Add(new OffsetCommitPartition(t.Name, p.PartitionIndex, p.CommittedOffset, version >= 6 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata));
            }
        }

        // v0 has no generation or member: it is always a simple commit.
        return new OffsetCommitInput(
            request.GroupId,
            version >= 1 ? request.GenerationIdOrMemberEpoch : -1,
            version >= 1 ? request.MemberId : "",
            version >= 7 ? request.GroupInstanceId : null,
            partitions);
    }

    public static OffsetCommitResponse ToResponse(IReadOnlyList<OffsetCommitPartitionResult> results)
    {
        var response = new OffsetCommitResponse();
        OffsetCommitResponse.OffsetCommitResponseTopic? topic = null;
        foreach (var r in results)
        {
            if (topic is null || topic.Name != r.Topic)
            {
                topic = FindOrAdd(response.Topics, r.Topic, t => t.Name, () => new OffsetCommitResponse.OffsetCommitResponseTopic { Name = r.Topic });
            }

            topic.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = r.Partition, ErrorCode = (short)r.Error });
        }

        return response;
    }

    public static OffsetFetchInput ToInput(OffsetFetchRequest request, short version)
    {
        // Null topics ("all partitions") exist from v2.
        if (request.Topics is null && version >= 2)
        {
            return new OffsetFetchInput(request.GroupId, null);
        }

        var topics = new List<TopicPartitions>();
        foreach (var t in request.Topics ?? [])
        {
            topics.Add(new TopicPartitions(t.Name, t.PartitionIndexes));
        }

        return new OffsetFetchInput(request.GroupId, topics);
    }

    public static OffsetFetchResponse ToResponse(OffsetFetchOutput output)
    {
        var response = new OffsetFetchResponse { ErrorCode = (short)output.Error };
        OffsetFetchResponse.OffsetFetchResponseTopic? topic = null;
        foreach (var p in output.Partitions)
        {
            if (topic is null || topic.Name != p.Topic)
            {
                topic = FindOrAdd(response.Topics, p.Topic, t => t.Name, () => new OffsetFetchResponse.OffsetFetchResponseTopic { Name = p.Topic });
            }

            topic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
            {
                PartitionIndex = p.Partition,
                CommittedOffset = p.Offset,
                CommittedLeaderEpoch = p.LeaderEpoch,
                Metadata = p.Metadata,
                ErrorCode = (short)p.Error,
            });
        }

        return response;
    }

    public static List<TopicPartitions> ToTopicPartitions(OffsetDeleteRequest request)
    {
        var topics = new List<TopicPartitions>(request.Topics.Count);
        foreach (var t in request.Topics)
        {
            var partitions = new List<int>(t.Partitions.Count);
            foreach (var p in t.Partitions)
            {
                partitions.Add(p.PartitionIndex);
            }

            topics.Add(new TopicPartitions(t.Name, partitions));
        }

        return topics;
    }

    public static OffsetDeleteResponse ToResponse(OffsetDeleteOutput output)
    {
        var response = new OffsetDeleteResponse { ErrorCode = (short)output.Error };
        foreach (var r in output.Partitions)
        {
            var topic = FindOrAdd(response.Topics, r.Topic, t => t.Name, () => new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = r.Topic });
            topic.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = r.Partition, ErrorCode = (short)r.Error });
        }

        return response;
    }

    private static T FindOrAdd<T>(List<T> list, string name, Func<T, string> nameOf, Func<T> create)
    {
        foreach (var item in list)
        {
            if (nameOf(item) == name)
            {
                return item;
            }
        }

        var added = create();
        list.Add(added);
        return added;
    }
}
