namespace Cairn.Common;

/// <summary>An inclusive range <c>[Begin-End]</c> of unsigned integers.</summary>
public readonly record struct ValueRange(ulong Begin, ulong End)
{
    /// <summary>Number of values in the range.</summary>
    public ulong Count => End - Begin + 1;

    /// <inheritdoc />
    public override string ToString() => $"{Begin}-{End}";
}
