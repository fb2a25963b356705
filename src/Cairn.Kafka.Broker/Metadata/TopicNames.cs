namespace Cairn.Kafka.Broker.Metadata;

/// <summary>Kafka's topic name rules (<c>org.apache.kafka.common.internals.Topic</c>).</summary>
public static class TopicNames
{
    /// <summary>Kafka's maximum topic name length.</summary>
    public const int MaxLength = 249;

    /// <summary>The internal topic of committed offsets and group metadata.</summary>
    public const string ConsumerOffsets = "__consumer_offsets";

    /// <summary>The internal topic of transaction state.</summary>
    public const string TransactionState = "__transaction_state";

    /// <summary>Validates a name; returns null when legal, else Kafka's message.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}";
        }

        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    /// <summary>True for Kafka's internal topics.</summary>
    public static bool IsInternal(string name) => name is ConsumerOffsets or TransactionState;

    /// <summary>Kafka forbids topics whose names differ only in '.' versus '_' (metric names collide).</summary>
    public static string Unify(string name) => name.Replace('.', '_');
}
