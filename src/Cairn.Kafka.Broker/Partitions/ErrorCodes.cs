using Cairn.Kafka.Broker.Metadata;
using Cairn.Kafka.Storage;

namespace Cairn.Kafka.Broker.Partitions;

/// <summary>Maps storage outcomes to Kafka error codes.</summary>
public static class ErrorCodes
{
    /// <summary>Kafka's code for a <see cref="StorageError"/>.</summary>
    public static short From(StorageError error) => error switch
    {
        StorageError.None => KafkaErrorCode.None,
        StorageError.CorruptMessage or StorageError.EmptyRecords => KafkaErrorCode.CorruptMessage,
        StorageError.MessageTooLarge => KafkaErrorCode.MessageTooLarge,
        StorageError.OffsetOutOfRange => KafkaErrorCode.OffsetOutOfRange,
        StorageError.UnsupportedForMessageFormat => KafkaErrorCode.UnsupportedForMessageFormat,
        StorageError.InvalidRecord => KafkaErrorCode.InvalidRecord,
        StorageError.LogClosed => KafkaErrorCode.NotLeaderOrFollower,
        StorageError.StorageFailure => 56, // KAFKA_STORAGE_ERROR
        _ => KafkaErrorCode.UnknownServerError,
    };
}
