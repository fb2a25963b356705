namespace Cairn.Kafka.Broker.Groups;

/// <summary>The Kafka error codes (Errors.java) that the group coordinator answers with.</summary>
public enum GroupErrorCode : short
{
    None = 0,
    UnknownTopicOrPartition = 3,
    OffsetMetadataTooLarge = 12,
    CoordinatorNotAvailable = 15,
    IllegalGeneration = 22,
    InconsistentGroupProtocol = 23,
    InvalidGroupId = 24,
    UnknownMemberId = 25,
    InvalidSessionTimeout = 26,
    RebalanceInProgress = 27,
    NonEmptyGroup = 68,
    GroupIdNotFound = 69,
    MemberIdRequired = 79,
    FencedInstanceId = 82,
    GroupSubscribedToTopic = 86,
}
