namespace Cairn.Kafka.Broker.Configuration;

/// <summary>Value types of Kafka configuration entries (DescribeConfigs v3+ reports them).</summary>
public enum ConfigType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}

/// <summary>Where a configuration value came from (Kafka's DescribeConfigs <c>config_source</c>).</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
}
