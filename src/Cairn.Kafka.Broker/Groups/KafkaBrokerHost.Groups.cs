using Cairn.Kafka.Broker.Groups;

namespace Cairn.Kafka.Broker;

public sealed partial class KafkaBrokerHost
{
    static partial void AddGroupExtensions(List<IBrokerExtension> extensions, BrokerServices services) =>
        extensions.Add(new GroupCoordinatorExtension(services));
}
