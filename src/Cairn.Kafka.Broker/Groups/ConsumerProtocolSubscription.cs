using System.Buffers.Binary;
using System.Text;

namespace Cairn.Kafka.Broker.Groups;

/// <summary>
/// Reads the topic list out of a "consumer" protocol subscription (ConsumerProtocolSubscription: int16 version,
/// array of strings, ...). The broker otherwise treats subscriptions as opaque bytes.
/// </summary>
public static class ConsumerProtocolSubscription
{
    public static bool TryReadTopics(ReadOnlySpan<byte> metadata, out List<string> topics)
    {
        topics = [];
        if (metadata.Length < 6)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(metadata[2..]);
        var pos = 6;
        if (count < 0 || count > metadata.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (pos + 2 > metadata.Length)
            {
                return false;
            }

            var len = BinaryPrimitives.ReadInt16BigEndian(metadata[pos..]);
            pos += 2;
            if (len < 0 || pos + len > metadata.Length)
            {
                return false;
            }

            topics.Add(Encoding.UTF8.GetString(metadata.Slice(pos, len)));
            pos += len;
        }

        return true;
    }
}
