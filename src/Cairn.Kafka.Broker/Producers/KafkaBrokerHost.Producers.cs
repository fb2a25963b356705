using Cairn.Kafka.Broker.Producers;

namespace Cairn.Kafka.Broker;

public sealed partial class KafkaBrokerHost
{
    static partial void AddProducerExtensions(List<IBrokerExtension> extensions, BrokerServices services) =>
        extensions.Add(new ProducerStateExtension(services));
}
