using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Protocol;
using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Handlers;

/// <summary>
/// The core Kafka APIs (one partial file per API). <see cref="Register"/> lists every API with the
/// versions it serves; ApiVersions advertises exactly that table.
/// </summary>
public sealed partial class KafkaApis
{
    private readonly BrokerServices _broker;
    private readonly RequestDispatcher _dispatcher;
    private readonly ILogger _logger;

    public KafkaApis(BrokerServices broker, RequestDispatcher dispatcher)
    {
        _broker = broker;
        _dispatcher = dispatcher;
        _logger = broker.LoggerFactory.CreateLogger("Cairn.Kafka.Broker.Handlers");
    }

    /// <summary>Registers the core APIs.</summary>
    public void Register(ApiHandlerTable table)
    {
        // Produce from v0: librdkafka 2.0.2 (kcat, confluent-kafka, Confluent.Kafka 1.9.3) compresses gzip, snappy
        // and lz4 only when the broker's Produce range contains v0 (rdkafka_msgset_writer.c, compr_req), and
        // otherwise sends them uncompressed. Legacy (magic 0/1) message sets still get UNSUPPORTED_FOR_MESSAGE_FORMAT.
        table.Register(ApiKey.Produce, 0, 9, HandleProduceAsync);
        table.Register(ApiKey.Fetch, 4, 12, HandleFetchAsync);
        table.Register(ApiKey.ListOffsets, 1, 7, HandleListOffsetsAsync);
        table.Register(ApiKey.Metadata, 0, 12, HandleMetadataAsync);
        table.Register(ApiKey.ApiVersions, 0, 4, HandleApiVersionsAsync);
        table.Register(ApiKey.CreateTopics, 0, 7, HandleCreateTopicsAsync);
        table.Register(ApiKey.DeleteTopics, 0, 6, HandleDeleteTopicsAsync);
        table.Register(ApiKey.DescribeConfigs, 0, 4, HandleDescribeConfigsAsync);
        table.Register(ApiKey.AlterConfigs, 0, 2, HandleAlterConfigsAsync);
        table.Register(ApiKey.IncrementalAlterConfigs, 0, 1, HandleIncrementalAlterConfigsAsync);
        table.Register(ApiKey.CreatePartitions, 0, 3, HandleCreatePartitionsAsync);
        table.Register(ApiKey.DescribeCluster, 0, 1, HandleDescribeClusterAsync);
    }

    private ClusterImage Image => _broker.Controller.Image;

    private static short ResponseHeaderVersion(RequestContext context) =>
        ApiKeys.TryGetInfo(context.ApiKey, out var info) ? info.ResponseHeaderVersion(context.ApiVersion) : (short)0;

    private static ValueTask<ApiResult> Respond(IKafkaMessage message) => ValueTask.FromResult(ApiResult.Respond(message));
}
