using System.Collections.Immutable;

namespace Cairn.Kafka.Broker.Metadata;

/// <summary>
/// One partition's replica assignment and leadership. A standalone broker leads everything;
/// the epoch and ISR are here so that replication can be added without changing the model.
/// </summary>
/// <param name="Index">Partition number.</param>
/// <param name="Leader">Leader node id (-1 when offline).</param>
/// <param name="LeaderEpoch">Bumped at every leader change.</param>
/// <param name="Replicas">Assigned replica node ids, preferred leader first.</param>
/// <param name="Isr">In-sync replica node ids.</param>
public sealed record PartitionMetadata(int Index, int Leader, int LeaderEpoch, ImmutableArray<int> Replicas, ImmutableArray<int> Isr);

/// <summary>A topic: name, id, partitions and its config overrides (only keys set explicitly).</summary>
public sealed record TopicMetadata(
    string Name,
    Guid TopicId,
    ImmutableArray<PartitionMetadata> Partitions,
    ImmutableDictionary<string, string> Configs,
    bool IsInternal);

/// <summary>An immutable snapshot of the cluster metadata, replaced atomically on every change.</summary>
public sealed record ClusterImage(
    string ClusterId,
    int ControllerId,
    long Version,
    ImmutableDictionary<string, TopicMetadata> Topics)
{
    /// <summary>The topic with <paramref name="topicId"/>, or null.</summary>
    public TopicMetadata? FindById(Guid topicId)
    {
        foreach (var (_, topic) in Topics)
        {
            if (topic.TopicId == topicId)
            {
                return topic;
            }
        }

        return null;
    }
}
