using System.Buffers.Binary;

namespace Cairn.Kafka.Storage.Segments;

/// <summary>
/// Sparse offset index of one segment: entries <c>{relativeOffset int32, position int32}</c> (8 bytes,
/// big-endian on disk, like Kafka's <c>.index</c>). Kept in memory for lookups and appended to its
/// file as entries are added. Single writer; readers are lock-free: the entry array is published
/// before the count, so a reader that sees a count also sees an array holding that many entries.
/// </summary>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;

    private (int RelativeOffset, int Position)[] _entries;
    private int _count;

    public OffsetIndex(int maxEntries)
    {
        MaxEntries = maxEntries;
        _entries = new (int, int)[Math.Min(maxEntries, 64)];
    }

    public int MaxEntries { get; }

    public int Count => Volatile.Read(ref _count);

    public bool IsFull => _count >= MaxEntries;

    public (int RelativeOffset, int Position) LastEntry => _count == 0 ? (0, 0) : _entries[_count - 1];

    public void Add(int relativeOffset, int position)
    {
        if (_count == _entries.Length)
        {
            var grown = new (int, int)[Math.Min(MaxEntries, _entries.Length * 2)];
            Array.Copy(_entries, grown, _count);
            Volatile.Write(ref _entries, grown);
        }

        _entries[_count] = (relativeOffset, position);
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Position of the largest entry whose offset is ≤ <paramref name="relativeOffset"/>, or 0.</summary>
    public int LookupPosition(int relativeOffset)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : entries[found].Position;
    }

    /// <summary>Drops entries at or after <paramref name="position"/> (log truncation).</summary>
    public void TruncateToPosition(int position)
    {
        var n = _count;
        while (n > 0 && _entries[n - 1].Position >= position)
        {
            n--;
        }

        Volatile.Write(ref _count, n);
    }

    public void Encode(Span<byte> destination, int index)
    {
        var (relative, position) = _entries[index];
        BinaryPrimitives.WriteInt32BigEndian(destination, relative);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], position);
    }

    /// <summary>
    /// Loads entries from file bytes; false when they fail Kafka's sanity checks (whole entries,
    /// strictly increasing offsets and positions, positions inside the log file).
    /// </summary>
    public bool TryLoad(ReadOnlySpan<byte> bytes, long logSize)
    {
        if (bytes.Length % EntrySize != 0 || bytes.Length / EntrySize > MaxEntries)
        {
            return false;
        }

        _count = 0;
        int lastRelative = -1, lastPosition = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes[i..]);
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes[(i + 4)..]);
            if (relative <= lastRelative || position <= lastPosition || position >= logSize)
            {
                _count = 0;
                return false;
            }

            Add(relative, position);
            lastRelative = relative;
            lastPosition = position;
        }

        return true;
    }
}
