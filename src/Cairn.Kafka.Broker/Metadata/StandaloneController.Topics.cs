using System.Collections.Immutable;
using Cairn.Kafka.Broker.Configuration;

namespace Cairn.Kafka.Broker.Metadata;

public sealed partial class StandaloneController
{
    /// <summary>Creates a topic (or only validates it); Kafka's CreateTopics rules.</summary>
    public Task<TopicResult> CreateTopicAsync(NewTopic request, bool validateOnly) => PostAsync(() =>
    {
        var (result, topic) = Validate(request);
        if (result.ErrorCode != KafkaErrorCode.None || validateOnly)
        {
            return result;
        }

        Commit(_image with { Topics = _image.Topics.SetItem(topic!.Name, topic) }, null, topic);
        return TopicResult.Ok(topic);
    });

    /// <summary>
    /// The topic, auto-created with the broker defaults if it does not exist and auto-creation is
    /// enabled; null when it does not exist and may not be created.
    /// </summary>
    public async Task<TopicResult> GetOrCreateTopicAsync(string name, bool allowAutoCreate)
    {
        if (_image.Topics.TryGetValue(name, out var existing))
        {
            return TopicResult.Ok(existing);
        }

        if (TopicNames.Validate(name) is { } invalid)
        {
            return TopicResult.Fail(KafkaErrorCode.InvalidTopicException, invalid);
        }

        if (!allowAutoCreate || !_config.AutoCreateTopicsEnable)
        {
            return TopicResult.Fail(KafkaErrorCode.UnknownTopicOrPartition, null);
        }

        var created = await CreateTopicAsync(new NewTopic(name, -1, -1, null, []), validateOnly: false).ConfigureAwait(false);
        return created.ErrorCode == KafkaErrorCode.TopicAlreadyExists && _image.Topics.TryGetValue(name, out var raced)
            ? TopicResult.Ok(raced)
            : created;
    }

    /// <summary>Deletes a topic by name.</summary>
    public Task<TopicResult> DeleteTopicAsync(string name) => PostAsync(() =>
    {
        if (!_config.DeleteTopicEnable)
        {
            return TopicResult.Fail(KafkaErrorCode.TopicDeletionDisabled, "Topic deletion is disabled.");
        }

        if (!_image.Topics.TryGetValue(name, out var topic))
        {
            return TopicResult.Fail(KafkaErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }

        Commit(_image with { Topics = _image.Topics.Remove(name) }, topic, null);
        return TopicResult.Ok(topic);
    });

    /// <summary>Raises a topic's partition count (CreatePartitions).</summary>
    public Task<TopicResult> CreatePartitionsAsync(string name, int count, IReadOnlyList<IReadOnlyList<int>>? assignments, bool validateOnly) => PostAsync(() =>
    {
        if (!_image.Topics.TryGetValue(name, out var topic))
        {
            return TopicResult.Fail(KafkaErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }

        var current = topic.Partitions.Length;
        if (count <= current)
        {
            return TopicResult.Fail(KafkaErrorCode.InvalidPartitions,
                count == current ? $"Topic already has {current} partitions." : $"Topic currently has {current} partitions, which is higher than the requested {count}.");
        }

        if (assignments is not null)
        {
            if (assignments.Count != count - current)
            {
                return TopicResult.Fail(KafkaErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {count - current} but {assignments.Count} assignments provided.");
            }

            foreach (var a in assignments)
            {
                if (a.Count != 1 || a[0] != NodeId)
                {
                    return TopicResult.Fail(KafkaErrorCode.InvalidReplicaAssignment, $"Unknown broker in assignment; the only broker is {NodeId}.");
                }
            }
        }

        if (validateOnly)
        {
            return TopicResult.Ok(topic);
        }

        var partitions = topic.Partitions.ToBuilder();
        for (var i = current; i < count; i++)
        {
            partitions.Add(NewPartition(i));
        }

        var next = topic with { Partitions = partitions.ToImmutable() };
        Commit(_image with { Topics = _image.Topics.SetItem(name, next) }, topic, next);
        return TopicResult.Ok(next);
    });

    /// <summary>
    /// Changes a topic's config overrides. With <paramref name="replaceAll"/> (AlterConfigs) the
    /// given SET operations become the whole override set; otherwise they are applied incrementally.
    /// </summary>
    public Task<TopicResult> AlterTopicConfigsAsync(string name, IReadOnlyList<ConfigAlteration> alterations, bool replaceAll, bool validateOnly) => PostAsync(() =>
    {
        if (!_image.Topics.TryGetValue(name, out var topic))
        {
            return TopicResult.Fail(KafkaErrorCode.UnknownTopicOrPartition, "This server does not host this topic-partition.");
        }

        var configs = replaceAll ? ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal) : topic.Configs.ToBuilder();
        foreach (var a in alterations)
        {
            if (!KafkaConfigCatalog.TryGetTopic(a.Name, out var key))
            {
                return TopicResult.Fail(KafkaErrorCode.InvalidConfig, $"Unknown topic config name: {a.Name}");
            }

            switch (a.Operation)
            {
                case ConfigOperation.Delete:
                    configs.Remove(a.Name);
                    break;
                case ConfigOperation.Set:
                    if (!key.Definition.TryNormalize(a.Value, out var normalized, out var error))
                    {
                        return TopicResult.Fail(KafkaErrorCode.InvalidConfig, error);
                    }

                    configs[a.Name] = normalized!;
                    break;
                case ConfigOperation.Append or ConfigOperation.Subtract:
                    if (key.Definition.Type != ConfigType.List)
                    {
                        return TopicResult.Fail(KafkaErrorCode.InvalidConfig, $"Config value append is not allowed for config key: {a.Name}");
                    }

                    var items = (configs.GetValueOrDefault(a.Name) ?? _config.ResolveTopicConfig(key, null).Value ?? "")
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    foreach (var v in (a.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (a.Operation == ConfigOperation.Append && !items.Contains(v))
                        {
                            items.Add(v);
                        }
                        else if (a.Operation == ConfigOperation.Subtract)
                        {
                            items.Remove(v);
                        }
                    }

                    if (!key.Definition.TryNormalize(string.Join(',', items), out var joined, out var listError))
                    {
                        return TopicResult.Fail(KafkaErrorCode.InvalidConfig, listError);
                    }

                    configs[a.Name] = joined!;
                    break;
                default:
                    return TopicResult.Fail(KafkaErrorCode.InvalidRequest, $"Unknown config operation {(int)a.Operation}");
            }
        }

        if (validateOnly)
        {
            return TopicResult.Ok(topic);
        }

        var next = topic with { Configs = configs.ToImmutable() };
        Commit(_image with { Topics = _image.Topics.SetItem(name, next) }, topic, next);
        return TopicResult.Ok(next);
    });

    private (TopicResult Result, TopicMetadata? Topic) Validate(NewTopic request)
    {
        if (TopicNames.Validate(request.Name) is { } invalid)
        {
            return (TopicResult.Fail(KafkaErrorCode.InvalidTopicException, invalid), null);
        }

        if (_image.Topics.ContainsKey(request.Name))
        {
            return (TopicResult.Fail(KafkaErrorCode.TopicAlreadyExists, $"Topic '{request.Name}' already exists."), null);
        }

        var unified = TopicNames.Unify(request.Name);
        foreach (var (existing, _) in _image.Topics)
        {
            if (TopicNames.Unify(existing) == unified)
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidTopicException, $"Topic '{request.Name}' collides with existing topic: {existing}"), null);
            }
        }

        int partitionCount;
        if (request.Assignments is { Count: > 0 } assignments)
        {
            if (request.NumPartitions != -1 || request.ReplicationFactor != -1)
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time."), null);
            }

            foreach (var a in assignments)
            {
                if (a.Count == 0)
                {
                    return (TopicResult.Fail(KafkaErrorCode.InvalidReplicaAssignment, "Replica assignment must not be empty."), null);
                }

                foreach (var broker in a)
                {
                    if (broker != NodeId)
                    {
                        return (TopicResult.Fail(KafkaErrorCode.InvalidReplicaAssignment, $"Unknown broker {broker} in replica assignment; the only broker is {NodeId}."), null);
                    }
                }

                if (a.Count > 1)
                {
                    return (TopicResult.Fail(KafkaErrorCode.InvalidReplicaAssignment, "Duplicate brokers in replica assignment."), null);
                }
            }

            partitionCount = assignments.Count;
        }
        else
        {
            partitionCount = request.NumPartitions == -1 ? _config.NumPartitions : request.NumPartitions;
            if (partitionCount <= 0)
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidPartitions, "Number of partitions was set to an invalid non-positive value."), null);
            }

            var replication = request.ReplicationFactor == -1 ? _config.DefaultReplicationFactor : request.ReplicationFactor;
            if (replication <= 0)
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value."), null);
            }

            if (replication > 1)
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidReplicationFactor, $"Unable to replicate the partition {replication} time(s): The target replication factor of {replication} cannot be reached because only 1 broker(s) are registered."), null);
            }
        }

        var configs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Configs)
        {
            if (!KafkaConfigCatalog.TryGetTopic(name, out var key))
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidConfig, $"Unknown topic config name: {name}"), null);
            }

            if (!key.Definition.TryNormalize(value, out var normalized, out var error))
            {
                return (TopicResult.Fail(KafkaErrorCode.InvalidConfig, error), null);
            }

            configs[name] = normalized!;
        }

        if (TopicNames.IsInternal(request.Name) && !configs.ContainsKey("cleanup.policy"))
        {
            configs["cleanup.policy"] = "compact";
        }

        var partitions = ImmutableArray.CreateBuilder<PartitionMetadata>(partitionCount);
        for (var i = 0; i < partitionCount; i++)
        {
            partitions.Add(NewPartition(i));
        }

        var topic = new TopicMetadata(request.Name, _newId(), partitions.MoveToImmutable(), configs.ToImmutable(), TopicNames.IsInternal(request.Name));
        return (TopicResult.Ok(topic), topic);
    }

    private PartitionMetadata NewPartition(int index) => new(index, NodeId, 0, [NodeId], [NodeId]);
}
