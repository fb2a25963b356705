using System.Buffers;
using System.IO.Pipelines;
using Cairn.Common;

namespace Cairn.Bench.ClusterSim;

/// <summary>Reads RecordIO frames from a streaming HTTP response with Cairn.Common's incremental reader.</summary>
internal static class RecordIoStreamReader
{
    /// <summary>Calls <paramref name="onRecord"/> for every frame until the stream ends or is cancelled.</summary>
    public static async Task ReadAllAsync(Stream stream, Func<ReadOnlySequence<byte>, ValueTask> onRecord, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = RecordIoReader.TryRead(ref buffer, out var record, out var error);
                    if (status == RecordIoReadResult.Malformed)
                    {
                        throw new InvalidDataException(error);
                    }

                    if (status == RecordIoReadResult.NeedMoreData)
                    {
                        break;
                    }

                    await onRecord(record);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
