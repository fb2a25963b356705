namespace Cairn.Kafka.Broker.Metadata;

/// <summary>The Kafka error codes the broker returns (Kafka 3.9 <c>Errors.java</c>).</summary>
public static class KafkaErrorCode
{
    public const short UnknownServerError = -1;
    public const short None = 0;
    public const short OffsetOutOfRange = 1;
    public const short CorruptMessage = 2;
    public const short UnknownTopicOrPartition = 3;
    public const short InvalidFetchSize = 4;
    public const short LeaderNotAvailable = 5;
    public const short NotLeaderOrFollower = 6;
    public const short RequestTimedOut = 7;
    public const short MessageTooLarge = 10;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short InvalidTopicException = 17;
    public const short RecordListTooLarge = 18;
    public const short NotEnoughReplicas = 19;
    public const short NotEnoughReplicasAfterAppend = 20;
    public const short InvalidRequiredAcks = 21;
    public const short InvalidTimestamp = 32;
    public const short UnsupportedVersion = 35;
    public const short TopicAlreadyExists = 36;
    public const short InvalidPartitions = 37;
    public const short InvalidReplicationFactor = 38;
    public const short InvalidReplicaAssignment = 39;
    public const short InvalidConfig = 40;
    public const short NotController = 41;
    public const short InvalidRequest = 42;
    public const short UnsupportedForMessageFormat = 43;
    public const short PolicyViolation = 44;
    public const short OutOfOrderSequenceNumber = 45;
    public const short DuplicateSequenceNumber = 46;
    public const short InvalidProducerEpoch = 47;
    public const short ClusterAuthorizationFailed = 31;
    public const short UnknownProducerId = 59;
    public const short TopicDeletionDisabled = 73;
    public const short FencedLeaderEpoch = 74;
    public const short UnknownLeaderEpoch = 75;
    public const short UnsupportedCompressionType = 76;
    public const short OffsetNotAvailable = 78;
    public const short InvalidRecord = 87;
    public const short UnknownTopicId = 100;
    public const short InconsistentTopicId = 103;
}
