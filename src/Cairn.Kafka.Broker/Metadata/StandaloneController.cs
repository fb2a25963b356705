using System.Collections.Immutable;
using System.Threading.Channels;
using Cairn.Kafka.Broker.Configuration;

namespace Cairn.Kafka.Broker.Metadata;

/// <summary>
/// The cluster metadata of a standalone broker: topics, partitions, topic ids, configs, leader
/// epochs. Mutations run one at a time on an actor loop, are persisted durably before they are
/// answered, and publish a new immutable <see cref="ClusterImage"/> that readers use lock-free.
/// </summary>
public sealed partial class StandaloneController : IAsyncDisposable
{
    private readonly BrokerConfig _config;
    private readonly MetadataStore _store;
    private readonly Func<Guid> _newId;
    private readonly Channel<Action> _mailbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<IMetadataListener> _listeners = [];
    private readonly Task _loop;
    private volatile ClusterImage _image;

    /// <summary>Loads the persisted image (or starts empty) and starts the actor loop.</summary>
    public StandaloneController(BrokerConfig config, Func<Guid>? newId = null)
    {
        _config = config;
        _newId = newId ?? Guid.NewGuid;
        _store = new MetadataStore(config.DataDir);
        _image = _store.Load() ?? new ClusterImage(MetadataStore.NewClusterId(_newId()), config.NodeId, 0, ImmutableDictionary.Create<string, TopicMetadata>(StringComparer.Ordinal));
        if (_image.ControllerId != config.NodeId)
        {
            // node.id changed between runs: this broker still leads every partition it stores.
            _image = Reassign(_image, config.NodeId);
        }

        _loop = RunAsync();
    }

    /// <summary>The current metadata snapshot.</summary>
    public ClusterImage Image => _image;

    /// <summary>This broker's node id.</summary>
    public int NodeId => _config.NodeId;

    /// <summary>Adds a listener and replays every existing topic to it (as created).</summary>
    public Task AddListenerAsync(IMetadataListener listener) => PostAsync(() =>
    {
        _listeners.Add(listener);
        foreach (var (_, topic) in _image.Topics)
        {
            listener.OnTopicChanged(null, topic);
        }

        return true;
    });

    /// <summary>Looks a topic up in the current image.</summary>
    public TopicMetadata? FindTopic(string name) => _image.Topics.GetValueOrDefault(name);

    /// <summary>Runs <paramref name="operation"/> on the actor loop and returns its result.</summary>
    private Task<T> PostAsync<T>(Func<T> operation)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = _mailbox.Writer.TryWrite(() =>
        {
            try
            {
                done.TrySetResult(operation());
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        if (!posted)
        {
            done.TrySetException(new ObjectDisposedException(nameof(StandaloneController)));
        }

        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var action in _mailbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            action();
        }
    }

    /// <summary>Persists <paramref name="next"/>, publishes it and tells the listeners what changed.</summary>
    private void Commit(ClusterImage next, TopicMetadata? before, TopicMetadata? after)
    {
        next = next with { Version = _image.Version + 1 };
        _store.Save(next);
        _image = next;
        foreach (var l in _listeners)
        {
            l.OnTopicChanged(before, after);
        }
    }

    private static ClusterImage Reassign(ClusterImage image, int nodeId)
    {
        var topics = image.Topics.ToBuilder();
        foreach (var (name, topic) in image.Topics)
        {
            var partitions = topic.Partitions.Select(p => p with { Leader = nodeId, LeaderEpoch = p.LeaderEpoch + 1, Replicas = [nodeId], Isr = [nodeId] }).ToImmutableArray();
            topics[name] = topic with { Partitions = partitions };
        }

        return image with { ControllerId = nodeId, Topics = topics.ToImmutable() };
    }

    public async ValueTask DisposeAsync()
    {
        _mailbox.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
