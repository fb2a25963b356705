namespace Cairn.Kafka.Broker.Groups;

/// <summary>The states of a classic-protocol consumer group (Kafka's GroupState).</summary>
public enum GroupState
{
    /// <summary>No members; may still hold committed offsets.</summary>
    Empty,

    /// <summary>Waiting for the members to (re)join.</summary>
    PreparingRebalance,

    /// <summary>Joined; waiting for the leader's assignment in SyncGroup.</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment.</summary>
    Stable,

    /// <summary>Deleted; about to disappear.</summary>
    Dead,
}

/// <summary>Kafka's spelling of the states, as DescribeGroups and ListGroups return them.</summary>
public static class GroupStateNames
{
    public static string ToKafkaName(this GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };

    public static bool TryParse(string name, out GroupState state)
    {
        foreach (var candidate in (ReadOnlySpan<GroupState>)[GroupState.Empty, GroupState.PreparingRebalance, GroupState.CompletingRebalance, GroupState.Stable, GroupState.Dead])
        {
            if (string.Equals(candidate.ToKafkaName(), name, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = GroupState.Dead;
        return false;
    }
}
