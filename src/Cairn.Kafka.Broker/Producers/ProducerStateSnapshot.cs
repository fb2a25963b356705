using System.Buffers.Binary;
using System.Globalization;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// Producer-state snapshots, <c>&lt;partition dir&gt;/&lt;offset, 20 digits&gt;.snapshot</c> like Kafka's: the state as of
/// that log offset (exclusive). Our own versioned layout: int16 version, uint32 CRC-32C of what follows, int64 offset,
/// int32 producer count, then per producer int64 id, int16 epoch, int8 batch count and per batch
/// int32 first/last sequence, int64 first/last offset, int64 timestamp.
/// </summary>
public static class ProducerStateSnapshot
{
    public const string Extension = ".snapshot";
    private const short Version = 1;
    private const int HeaderSize = 2 + 4 + 8 + 4;
    private const int BatchSize = 4 + 4 + 8 + 8 + 8;

    public static string PathFor(string partitionDirectory, long offset) =>
        Path.Combine(partitionDirectory, offset.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Writes a snapshot atomically (temp file, flush, rename) and returns its path.</summary>
    public static string Write(string partitionDirectory, PartitionProducerState state)
    {
        var size = HeaderSize;
        foreach (var e in state.Entries)
        {
            size += 8 + 2 + 1 + (e.Count * BatchSize);
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, Version);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], state.MapEndOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[14..], state.ProducerCount);
        var pos = HeaderSize;
        foreach (var e in state.Entries)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[pos..], e.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(pos + 8)..], e.Epoch);
            span[pos + 10] = (byte)e.Count;
            pos += 11;
            for (var i = 0; i < e.Count; i++)
            {
                var b = e[i];
                BinaryPrimitives.WriteInt32BigEndian(span[pos..], b.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(pos + 4)..], b.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(pos + 8)..], b.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(pos + 16)..], b.LastOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(pos + 24)..], b.Timestamp);
                pos += BatchSize;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[2..], RecordBatchHeader.Crc32C(span[6..]));
        var path = PathFor(partitionDirectory, state.MapEndOffset);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(buffer);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Reads a snapshot; false if it is missing, truncated or fails its CRC.</summary>
    public static bool TryRead(string path, out PartitionProducerState state)
    {
        state = new PartitionProducerState();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return false;
        }

        var span = bytes.AsSpan();
        if (span.Length < HeaderSize || BinaryPrimitives.ReadInt16BigEndian(span) != Version ||
            BinaryPrimitives.ReadUInt32BigEndian(span[2..]) != RecordBatchHeader.Crc32C(span[6..]))
        {
            return false;
        }

        var offset = BinaryPrimitives.ReadInt64BigEndian(span[6..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(span[14..]);
        var entries = new List<ProducerStateEntry>(Math.Max(0, Math.Min(count, 100_000)));
        var pos = HeaderSize;
        for (var p = 0; p < count; p++)
        {
            if (pos + 11 > span.Length)
            {
                return false;
            }

            var entry = new ProducerStateEntry(BinaryPrimitives.ReadInt64BigEndian(span[pos..]), BinaryPrimitives.ReadInt16BigEndian(span[(pos + 8)..]));
            int batches = span[pos + 10];
            pos += 11;
            if (pos + (batches * BatchSize) > span.Length)
            {
                return false;
            }

            for (var i = 0; i < batches; i++)
            {
                entry.Add(new ProducerBatch(
                    BinaryPrimitives.ReadInt32BigEndian(span[pos..]),
                    BinaryPrimitives.ReadInt32BigEndian(span[(pos + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(pos + 8)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(pos + 16)..]),
                    BinaryPrimitives.ReadInt64BigEndian(span[(pos + 24)..])));
                pos += BatchSize;
            }

            entries.Add(entry);
        }

        state.Reset(entries, offset);
        return true;
    }

    /// <summary>
    /// Loads the newest valid snapshot at or below <paramref name="maxOffset"/> (the log end); a fresh state when there
    /// is none. Snapshots beyond the log end (the log was truncated) are ignored.
    /// </summary>
    public static PartitionProducerState LoadLatest(string partitionDirectory, long maxOffset)
    {
        foreach (var (offset, path) in ListDescending(partitionDirectory))
        {
            if (offset <= maxOffset && TryRead(path, out var state))
            {
                return state;
            }
        }

        return new PartitionProducerState();
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> snapshots.</summary>
    public static void DeleteOld(string partitionDirectory, int keep = 2)
    {
        var n = 0;
        foreach (var (_, path) in ListDescending(partitionDirectory))
        {
            if (++n > keep)
            {
                File.Delete(path);
            }
        }
    }

    private static List<(long Offset, string Path)> ListDescending(string partitionDirectory)
    {
        var result = new List<(long, string)>();
        if (!Directory.Exists(partitionDirectory))
        {
            return result;
        }

        foreach (var path in Directory.EnumerateFiles(partitionDirectory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                result.Add((offset, path));
            }
        }

        result.Sort((a, b) => b.Item1.CompareTo(a.Item1));
        return result;
    }
}
