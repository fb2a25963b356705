using System.Buffers;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Records;

/// <summary>Access to the (decompressed) records section of a stored batch, through the protocol layer's codecs.</summary>
internal static class BatchRecords
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>A per-thread scratch buffer for decompression (appends, lookups and cleaning never nest).</summary>
    public static ArrayBufferWriter<byte> Scratch => t_scratch ??= new ArrayBufferWriter<byte>(64 * 1024);

    /// <summary>
    /// The uncompressed records of <paramref name="batch"/>: a slice of it, or its decompressed records in
    /// <paramref name="scratch"/>. Throws <c>KafkaProtocolException</c> when the compressed data is corrupt.
    /// </summary>
    public static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> batch, ArrayBufferWriter<byte> scratch)
    {
        var view = new RecordBatch(batch);
        if (view.Header.CompressionCodec == 0)
        {
            return view.RecordsSection;
        }

        scratch.ResetWrittenCount();
        view.DecompressRecords(scratch);
        return scratch.WrittenSpan;
    }
}
