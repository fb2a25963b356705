namespace Cairn.Kafka.Broker.Producers;

/// <summary>What the producer state remembers of one appended batch: its sequence range and where it landed.</summary>
public readonly record struct ProducerBatch(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long Timestamp);
