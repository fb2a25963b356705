using System.IO.Pipelines;
using Cairn.Common;
using Cairn.Master.Model;

namespace Cairn.Master.Http;

/// <summary>Copies a subscription's events to an HTTP response as RecordIO frames, flushing once
/// per burst of queued events.</summary>
internal static class EventPump
{
    public static async Task PumpAsync<T>(EventStream<T> stream, PipeWriter output, Func<T, byte[]> encode, CancellationToken cancellationToken)
    {
        var reader = stream.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                RecordIoWriter.Write(output, encode(item));
            }

            var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return;
            }
        }
    }
}
