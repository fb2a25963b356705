using Microsoft.Extensions.Logging;

namespace Cairn.Kafka.Broker.Telemetry;

/// <summary>The broker's source-generated log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "connection {ConnectionId}: frame of {Size} bytes is outside 0..socket.request.max.bytes ({Max}); closing")]
    public static partial void OversizedFrame(ILogger logger, long connectionId, int size, int max);

    [LoggerMessage(2, LogLevel.Debug, "connection {ConnectionId}: closed with {Bytes} bytes of an incomplete frame")]
    public static partial void TruncatedFrame(ILogger logger, long connectionId, long bytes);

    [LoggerMessage(3, LogLevel.Warning, "accept failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, string error);

    [LoggerMessage(4, LogLevel.Error, "connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "connection {ConnectionId}: {Reason}; closing")]
    public static partial void BadRequest(ILogger logger, long connectionId, string reason);

    [LoggerMessage(6, LogLevel.Information, "created topic {Topic} with {Partitions} partitions (id {TopicId})")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions, Guid topicId);

    [LoggerMessage(7, LogLevel.Information, "deleted topic {Topic}")]
    public static partial void TopicDeleted(ILogger logger, string topic);

    [LoggerMessage(8, LogLevel.Error, "request {Api} v{Version} from connection {ConnectionId} failed")]
    public static partial void HandlerFailed(ILogger logger, string api, short version, long connectionId, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "config: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);
}
