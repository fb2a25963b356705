using System.Buffers.Binary;

namespace Cairn.Kafka.Protocol.Records;

/// <summary>
/// Splits a records blob (a Produce partition's records, a Fetch response, a log segment region) into whole
/// batches without copying. A truncated trailing batch ends the enumeration (Fetch responses may legally end with
/// one); <see cref="TrailingBytes"/> tells how many bytes were left over.
/// </summary>
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public RecordBatchEnumerator(ReadOnlySpan<byte> records)
    {
        _data = records;
        _position = 0;
        Current = default;
    }

    /// <summary>The current batch's bytes (header included).</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>Byte offset of <see cref="Current"/> in the blob.</summary>
    public readonly int CurrentOffset => _position - Current.Length;

    /// <summary>Bytes after the last whole batch (a partial batch), valid once enumeration ended.</summary>
    public readonly int TrailingBytes => _data.Length - _position;

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var remaining = _data.Length - _position;
        if (remaining < RecordBatchHeader.LogOverhead)
        {
            return false;
        }

        var batchLength = BinaryPrimitives.ReadInt32BigEndian(_data[(_position + RecordBatchHeader.BatchLengthPosition)..]);
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead)
        {
            throw new KafkaProtocolException($"Record batch length {batchLength} is smaller than a batch header.");
        }

        if (batchLength > remaining - RecordBatchHeader.LogOverhead)
        {
            return false;
        }

        var size = batchLength + RecordBatchHeader.LogOverhead;
        Current = _data.Slice(_position, size);
        _position += size;
        return true;
    }
}
