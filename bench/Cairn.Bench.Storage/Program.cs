// Storage load program: appends batches of 100 B and 1 KiB records to a PartitionLog, reads them back,
// and measures dd sequential writes in the same run as the physical reference.
// Usage: dotnet run -c Release --project bench/Cairn.Bench.Storage -- [--dir DIR] [--mib 1024]
using System.Diagnostics;
using System.Globalization;
using Cairn.Kafka.Protocol.Records;
using Cairn.Kafka.Storage;
using Cairn.Kafka.Storage.Configuration;

var dir = ArgValue("--dir") ?? Path.Combine(Path.GetTempPath(), "cairn-bench-storage-" + Environment.ProcessId);
var mib = int.Parse(ArgValue("--mib") ?? "1024", CultureInfo.InvariantCulture);
Directory.CreateDirectory(dir);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {File.ReadAllText("/proc/loadavg").Trim()} (loadavg at start)");
Console.WriteLine($"data: {dir}, {mib} MiB per case");

try
{
    Dd(dir, mib);
    foreach (var (recordSize, recordsPerBatch) in new[] { (100, 160), (1024, 16) })
    {
        RunCase(dir, mib, recordSize, recordsPerBatch);
    }

    Dd(dir, mib);
}
finally
{
    Directory.Delete(dir, recursive: true);
}

Console.WriteLine($"loadavg at end: {File.ReadAllText("/proc/loadavg").Trim()}");

static void RunCase(string root, int mib, int recordSize, int recordsPerBatch)
{
    var path = Path.Combine(root, $"bench-{recordSize}");
    var template = Batch(recordSize, recordsPerBatch);
    var batches = (int)((long)mib * 1024 * 1024 / template.Length);
    var buffer = new byte[template.Length];
    using var log = PartitionLog.Open(path, "bench", 0, LogConfig.Default);

    var sw = Stopwatch.StartNew();
    for (var i = 0; i < batches; i++)
    {
        template.CopyTo(buffer, 0); // a request buffer: Append patches base offset and epoch in place
        var result = log.Append(buffer);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Error.ToString());
        }
    }

    var appendSeconds = sw.Elapsed.TotalSeconds;
    log.Flush();
    var flushedSeconds = sw.Elapsed.TotalSeconds;
    log.UpdateHighWatermark(log.LogEndOffset);
    var records = (long)batches * recordsPerBatch;
    var bytes = (long)batches * template.Length;
    Report($"append {recordSize} B x {recordsPerBatch}/batch", records, bytes, appendSeconds);
    Report($"append {recordSize} B + fdatasync", records, bytes, flushedSeconds);

    // Fetch-style reads of 1 MiB regions, copied into a buffer (the broker would sendfile them instead).
    var readBuffer = new byte[2 * 1024 * 1024];
    sw.Restart();
    long offset = 0, read = 0;
    while (offset < log.HighWatermark)
    {
        var region = log.Read(offset, 1024 * 1024).Region;
        region.CopyTo(readBuffer);
        read += region.Length;
        RecordBatchHeader.TryRead(readBuffer.AsSpan(region.Length - template.Length), out var last);
        offset = last.LastOffset + 1;
    }

    Report($"read {recordSize} B (1 MiB fetches, copied)", records, read, sw.Elapsed.TotalSeconds);

    // Region lookups alone: index search + header scan per 1 MiB fetch, no data copy.
    sw.Restart();
    offset = 0;
    var fetches = 0;
    while (offset < log.HighWatermark)
    {
        var region = log.Read(offset, 1024 * 1024).Region;
        offset += (region.Length / template.Length) * recordsPerBatch;
        fetches++;
    }

    Console.WriteLine($"  region lookups ({recordSize} B): {fetches} fetches in {sw.Elapsed.TotalMilliseconds:F0} ms = {sw.Elapsed.TotalMicroseconds / fetches:F1} us/fetch");
}

static byte[] Batch(int recordSize, int count)
{
    // Uncompressed v2 batch: records with null key, recordSize-byte value.
    var body = new List<byte>();
    var value = new byte[recordSize];
    Random.Shared.NextBytes(value);
    for (var i = 0; i < count; i++)
    {
        var record = new List<byte> { 0 };
        VarLong(record, 0);
        VarLong(record, i);
        VarLong(record, -1);
        VarLong(record, recordSize);
        record.AddRange(value);
        VarLong(record, 0);
        VarLong(body, record.Count);
        body.AddRange(record);
    }

    var batch = new byte[RecordBatchHeader.Size + body.Count];
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    new RecordBatchHeader(0, batch.Length - 12, -1, 2, 0, 0, count - 1, now, now, -1, -1, -1, count).WriteTo(batch);
    body.CopyTo(batch, RecordBatchHeader.Size);
    RecordBatchHeader.UpdateCrc(batch);
    return batch;
}

static void VarLong(List<byte> into, long value)
{
    var v = (ulong)((value << 1) ^ (value >> 63));
    while (v >= 0x80)
    {
        into.Add((byte)(v | 0x80));
        v >>= 7;
    }

    into.Add((byte)v);
}

static void Report(string name, long records, long bytes, double seconds) =>
    Console.WriteLine($"  {name,-38} {records / seconds,14:N0} records/s {bytes / seconds / 1048576,10:N1} MiB/s ({seconds:F2} s)");

static void Dd(string dir, int mib)
{
    var file = Path.Combine(dir, "dd.bin");
    var psi = new ProcessStartInfo("dd", $"if=/dev/zero of={file} bs=1M count={mib} conv=fdatasync") { RedirectStandardError = true };
    using var dd = Process.Start(psi)!;
    var output = dd.StandardError.ReadToEnd();
    dd.WaitForExit();
    File.Delete(file);
    Console.WriteLine($"  dd bs=1M count={mib} conv=fdatasync: {output.Trim().Split('\n')[^1]}");
}

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
