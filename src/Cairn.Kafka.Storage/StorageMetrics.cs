using System.Diagnostics.Metrics;

namespace Cairn.Kafka.Storage;

/// <summary>Storage counters on the <c>Cairn.Kafka.Storage</c> meter (exported by the broker's /metrics).</summary>
internal static class StorageMetrics
{
    private static readonly Meter Meter = new("Cairn.Kafka.Storage");
    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("cairn_kafka_log_appended_batches", description: "Record batches appended to partition logs");
    private static readonly Counter<long> Records = Meter.CreateCounter<long>("cairn_kafka_log_appended_records", description: "Records appended to partition logs");
    private static readonly Counter<long> Bytes = Meter.CreateCounter<long>("cairn_kafka_log_appended_bytes", "By", "Bytes appended to partition logs");
    private static readonly Counter<long> Deleted = Meter.CreateCounter<long>("cairn_kafka_log_segments_deleted", description: "Segments deleted by retention");
    private static readonly Counter<long> Cleaned = Meter.CreateCounter<long>("cairn_kafka_log_segments_cleaned", description: "Segments rewritten by compaction");

    public static void Appended(int batches, int records, int bytes)
    {
        Batches.Add(batches);
        Records.Add(records);
        Bytes.Add(bytes);
    }

    public static void SegmentsDeleted(int count) => Deleted.Add(count);

    public static void SegmentsCleaned(int count) => Cleaned.Add(count);
}
