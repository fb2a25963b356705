namespace Cairn.Kafka.Storage;

/// <summary>
/// Expected failures of log operations. The broker maps them to Kafka error codes
/// (the Kafka name and code are given on each member).
/// </summary>
public enum StorageError
{
    /// <summary>Success (NONE, 0).</summary>
    None = 0,

    /// <summary>Bad CRC, bad batch framing or truncated batch (CORRUPT_MESSAGE, 2).</summary>
    CorruptMessage,

    /// <summary>A batch is larger than max.message.bytes (MESSAGE_TOO_LARGE, 10).</summary>
    MessageTooLarge,

    /// <summary>A fetch or lookup offset is below the log start offset or above the log end offset (OFFSET_OUT_OF_RANGE, 1).</summary>
    OffsetOutOfRange,

    /// <summary>Batch magic is not 2 (UNSUPPORTED_FOR_MESSAGE_FORMAT, 43).</summary>
    UnsupportedForMessageFormat,

    /// <summary>Records inside a batch are inconsistent, or a compacted topic got a null key (INVALID_RECORD, 87).</summary>
    InvalidRecord,

    /// <summary>The request carried no batch (INVALID_REQUEST... Kafka answers CORRUPT_MESSAGE for an empty record set).</summary>
    EmptyRecords,

    /// <summary>The log was closed or deleted (KAFKA_STORAGE_ERROR, 56 / NOT_LEADER_OR_FOLLOWER for a deleted partition).</summary>
    LogClosed,

    /// <summary>An I/O error while writing (KAFKA_STORAGE_ERROR, 56).</summary>
    StorageFailure,
}
