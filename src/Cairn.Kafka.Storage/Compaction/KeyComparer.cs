namespace Cairn.Kafka.Storage.Compaction;

/// <summary>Compares record keys by content.</summary>
internal sealed class KeyComparer : IEqualityComparer<byte[]>
{
    public static KeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
