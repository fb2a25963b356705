using System.Buffers.Binary;

namespace Cairn.Kafka.Storage.Segments;

/// <summary>
/// Sparse time index of one segment: entries <c>{timestamp int64, relativeOffset int32}</c> (12 bytes,
/// big-endian, like Kafka's <c>.timeindex</c>) with strictly increasing timestamps: an entry maps the
/// largest timestamp seen so far to the offset of the batch that carried it. Same publication
/// discipline as <see cref="OffsetIndex"/>.
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;

    private (long Timestamp, int RelativeOffset)[] _entries = new (long, int)[16];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public long LastTimestamp => _count == 0 ? long.MinValue : _entries[_count - 1].Timestamp;

    public void Add(long timestamp, int relativeOffset)
    {
        if (_count > 0 && timestamp <= _entries[_count - 1].Timestamp)
        {
            return;
        }

        if (_count == _entries.Length)
        {
            var grown = new (long, int)[_entries.Length * 2];
            Array.Copy(_entries, grown, _count);
            Volatile.Write(ref _entries, grown);
        }

        _entries[_count] = (timestamp, relativeOffset);
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>
    /// Relative offset to start scanning from for the first batch with a timestamp ≥ <paramref name="timestamp"/>:
    /// the offset of the largest entry whose timestamp is below it, or 0.
    /// </summary>
    public int LookupStartOffset(long timestamp)
    {
        var count = Volatile.Read(ref _count);
        var entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : entries[found].RelativeOffset;
    }

    /// <summary>Drops entries at or after <paramref name="relativeOffset"/> (log truncation).</summary>
    public void TruncateToOffset(int relativeOffset)
    {
        var n = _count;
        while (n > 0 && _entries[n - 1].RelativeOffset >= relativeOffset)
        {
            n--;
        }

        Volatile.Write(ref _count, n);
    }

    public void Encode(Span<byte> destination, int index)
    {
        var (timestamp, relative) = _entries[index];
        BinaryPrimitives.WriteInt64BigEndian(destination, timestamp);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], relative);
    }

    /// <summary>Loads entries from file bytes; false when they are not whole, increasing entries.</summary>
    public bool TryLoad(ReadOnlySpan<byte> bytes, int maxRelativeOffset)
    {
        if (bytes.Length % EntrySize != 0)
        {
            return false;
        }

        _count = 0;
        var lastTimestamp = long.MinValue;
        var lastRelative = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes[i..]);
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes[(i + 8)..]);
            if (timestamp <= lastTimestamp || relative < lastRelative || relative > maxRelativeOffset)
            {
                _count = 0;
                return false;
            }

            Add(timestamp, relative);
            lastTimestamp = timestamp;
            lastRelative = relative;
        }

        return true;
    }
}
