using System.Globalization;

namespace Cairn.Kafka.Broker.Producers;

/// <summary>
/// Hands out producer ids for InitProducerId. Ids come from blocks reserved durably in a small file (the next free
/// block start, written with fsync + rename before any id of the block is used), so ids are never reused after a
/// restart or crash, at the cost of skipping the unused rest of a block — as Kafka's AllocateProducerIds does.
/// </summary>
public sealed class ProducerIdAllocator
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly long _blockSize;
    private long _next;
    private long _blockEnd;

    public ProducerIdAllocator(string path, long blockSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _path = path;
        _blockSize = blockSize;
        _next = File.Exists(path) ? long.Parse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        _blockEnd = _next;
    }

    /// <summary>The next producer id.</summary>
    public long Allocate()
    {
        lock (_gate)
        {
            if (_next == _blockEnd)
            {
                var end = _blockEnd + _blockSize;
                var temp = _path + ".tmp";
                using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    file.Write(System.Text.Encoding.ASCII.GetBytes(end.ToString(CultureInfo.InvariantCulture)));
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, _path, overwrite: true);
                _blockEnd = end;
            }

            return _next++;
        }
    }
}
