using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Protocol;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// The idempotent producer: InitProducerId hands out producer ids from durable blocks, and the
/// <see cref="ProducerStateGuard"/> checks sequence numbers inside every Produce append.
/// </summary>
public sealed class ProducerStateExtension : IBrokerExtension
{
    private const short InvalidRequest = 42;
    private readonly ProducerIdAllocator _ids;
    private readonly ProducerStateGuard _guard;

    public ProducerStateExtension(BrokerServices services)
    {
        _ids = new ProducerIdAllocator(Path.Combine(services.Config.DataDir, "producer-id-block"));
        _guard = new ProducerStateGuard(services.Time, services.Config.GetLong("producer.id.expiration.ms"));
        services.ProduceGuard = _guard;
    }

    public void Register(ApiHandlerTable table) => table.Register(ApiKey.InitProducerId, 0, 4, InitProducerIdAsync);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ValueTask<ApiResult> InitProducerIdAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Read<InitProducerIdRequest>();
        var response = new InitProducerIdResponse();
        if (request.TransactionalId is not null)
        {
            // Transactions are not implemented; an idempotent producer never sends a transactional id.
            response.ErrorCode = InvalidRequest;
            response.ProducerId = -1;
            response.ProducerEpoch = -1;
        }
        else
        {
            // Without a transactional id Kafka always hands out a fresh id at epoch 0 (also for KIP-360 re-inits).
            response.ProducerId = _ids.Allocate();
            response.ProducerEpoch = 0;
        }

        return ValueTask.FromResult(ApiResult.Respond(response));
    }

    public ValueTask DisposeAsync()
    {
        _guard.SnapshotAll();
        return ValueTask.CompletedTask;
    }
}
