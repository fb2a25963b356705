namespace Cairn.Kafka.Protocol;

/// <summary>A tagged field this code does not know, kept verbatim so that it survives a read/write round trip.</summary>
/// <param name="Tag">The field's tag.</param>
/// <param name="Data">The field's value bytes (without tag and size).</param>
public readonly record struct RawTaggedField(uint Tag, byte[] Data);
