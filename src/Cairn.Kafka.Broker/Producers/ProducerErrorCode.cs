namespace Cairn.Kafka.Broker.Producers;

/// <summary>Kafka error codes (Errors.java) of the idempotent producer checks.</summary>
public enum ProducerErrorCode : short
{
    None = 0,
    OutOfOrderSequenceNumber = 45,
    InvalidProducerEpoch = 47,
    UnknownProducerId = 59,
}
