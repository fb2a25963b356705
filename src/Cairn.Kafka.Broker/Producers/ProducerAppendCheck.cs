namespace Cairn.Kafka.Broker.Producers;

/// <summary>What to do with an incoming idempotent batch.</summary>
public enum ProducerAppendDecision
{
    /// <summary>In sequence (or from a producer the partition does not know): append it.</summary>
    Append,

    /// <summary>A retry of a batch already in the log: answer with its original offsets, append nothing.</summary>
    Duplicate,

    /// <summary>Refuse with <see cref="ProducerAppendCheck.Error"/>.</summary>
    Reject,
}

/// <summary>The outcome of checking a batch's producer id, epoch and sequence numbers.</summary>
public readonly record struct ProducerAppendCheck(ProducerAppendDecision Decision, ProducerErrorCode Error, ProducerBatch Original)
{
    public static ProducerAppendCheck Append => new(ProducerAppendDecision.Append, ProducerErrorCode.None, default);

    public static ProducerAppendCheck DuplicateOf(ProducerBatch original) => new(ProducerAppendDecision.Duplicate, ProducerErrorCode.None, original);

    public static ProducerAppendCheck Reject(ProducerErrorCode error) => new(ProducerAppendDecision.Reject, error, default);
}
