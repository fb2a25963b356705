using System.Buffers;

namespace Cairn.Common;

/// <summary>
/// Incremental RecordIO decoding over a <see cref="ReadOnlySequence{T}"/>, for PipeReader loops:
/// call <see cref="TryRead"/> until it returns <see cref="RecordIoReadResult.NeedMoreData"/>, then
/// <c>reader.AdvanceTo(buffer.Start, buffer.End)</c> and read again. Chunk boundaries do not matter.
/// </summary>
public static class RecordIoReader
{
    /// <summary>Default cap on one record (Mesos has none; 64 MiB protects the process from a bad peer).</summary>
    public const long DefaultMaxRecordLength = 64L * 1024 * 1024;

    /// <summary>
    /// Tries to take one record from the front of <paramref name="buffer"/>. On <see cref="RecordIoReadResult.Record"/>
    /// <paramref name="record"/> is a slice of the input and <paramref name="buffer"/> starts after it.
    /// On <see cref="RecordIoReadResult.Malformed"/> <paramref name="error"/> says why.
    /// </summary>
    public static RecordIoReadResult TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> record, out string? error, long maxRecordLength = DefaultMaxRecordLength)
    {
        record = default;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                return RecordIoReadResult.NeedMoreData;
            }

            if (b == (byte)'\n')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                error = $"RecordIO header contains byte 0x{b:x2}; expected decimal digits followed by '\\n'";
                return RecordIoReadResult.Malformed;
            }

            digits++;
            length = (length * 10) + (b - '0');
            if (digits > 19 || length > maxRecordLength)
            {
                error = $"RecordIO record length exceeds the limit of {maxRecordLength} bytes";
                return RecordIoReadResult.Malformed;
            }
        }

        if (digits == 0 || length == 0)
        {
            error = "RecordIO record length must be a positive decimal number";
            return RecordIoReadResult.Malformed;
        }

        if (reader.Remaining < length)
        {
            return RecordIoReadResult.NeedMoreData;
        }

        record = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(record.End);
        return RecordIoReadResult.Record;
    }
}
