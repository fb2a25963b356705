using Cairn.Kafka.Broker.Dispatch;
using Cairn.Kafka.Protocol.Messages;

namespace Cairn.Kafka.Broker.Handlers;

public sealed partial class KafkaApis
{
    private ValueTask<ApiResult> HandleDescribeClusterAsync(RequestContext context, CancellationToken cancellationToken)
    {
        _ = context.Read<DescribeClusterRequest>();
        var response = new DescribeClusterResponse
        {
            ClusterId = Image.ClusterId,
            ControllerId = _broker.NodeId,
            ErrorMessage = null,
        };
        response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker
        {
            BrokerId = _broker.NodeId,
            Host = _broker.AdvertisedHost,
            Port = _broker.AdvertisedPort,
            Rack = _broker.Config.Rack,
        });
        return Respond(response);
    }
}
