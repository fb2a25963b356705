using Cairn.Kafka.Broker.Dispatch;

namespace Cairn.Kafka.Broker;

/// <summary>
/// A part of the broker that lives outside the core (group coordinator, producer-id manager):
/// it registers handlers for its API keys and may load state before the broker starts listening.
/// </summary>
public interface IBrokerExtension : IAsyncDisposable
{
    /// <summary>Registers this extension's API handlers (one registration per API key).</summary>
    void Register(ApiHandlerTable table);

    /// <summary>Loads state (e.g. reads <c>__consumer_offsets</c>); runs after the logs are open, before listening.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
