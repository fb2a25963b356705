using System.Collections.Immutable;
using System.Text.Json;

namespace Cairn.Kafka.Broker.Metadata;

/// <summary>
/// Persists the cluster image as JSON in the data directory: written to a temp file, fsync'd,
/// renamed over the old file and the directory fsync'd, so a crash leaves the old or the new image.
/// </summary>
public sealed partial class MetadataStore
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "cairn-metadata.json";

    private readonly string _path;
    private readonly string _directory;

    public MetadataStore(string dataDirectory)
    {
        _directory = dataDirectory;
        _path = Path.Combine(dataDirectory, FileName);
    }

    /// <summary>Loads the persisted image, or null when there is none yet.</summary>
    public ClusterImage? Load()
    {
        // A leftover temp file is an interrupted write: the previous file is still the truth.
        var temp = _path + ".tmp";
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }

        if (!File.Exists(_path))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(_path));
        var root = doc.RootElement;
        var topics = ImmutableDictionary.CreateBuilder<string, TopicMetadata>(StringComparer.Ordinal);
        foreach (var t in root.GetProperty("topics").EnumerateArray())
        {
            var partitions = ImmutableArray.CreateBuilder<PartitionMetadata>();
            foreach (var p in t.GetProperty("partitions").EnumerateArray())
            {
                partitions.Add(new PartitionMetadata(
                    p.GetProperty("index").GetInt32(),
                    p.GetProperty("leader").GetInt32(),
                    p.GetProperty("leaderEpoch").GetInt32(),
                    ReadInts(p.GetProperty("replicas")),
                    ReadInts(p.GetProperty("isr"))));
            }

            var configs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var c in t.GetProperty("configs").EnumerateObject())
            {
                configs[c.Name] = c.Value.GetString() ?? "";
            }

            var name = t.GetProperty("name").GetString()!;
            topics[name] = new TopicMetadata(name, t.GetProperty("id").GetGuid(), partitions.ToImmutable(), configs.ToImmutable(), t.GetProperty("internal").GetBoolean());
        }

        return new ClusterImage(root.GetProperty("clusterId").GetString()!, root.GetProperty("controllerId").GetInt32(), root.GetProperty("version").GetInt64(), topics.ToImmutable());
    }

    /// <summary>Writes the image durably (see the type's remarks).</summary>
    public void Save(ClusterImage image)
    {
        Directory.CreateDirectory(_directory);
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                Write(writer, image);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        FsyncDirectory(_directory);
    }

    private static void Write(Utf8JsonWriter w, ClusterImage image)
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", 1);
        w.WriteString("clusterId", image.ClusterId);
        w.WriteNumber("controllerId", image.ControllerId);
        w.WriteNumber("version", image.Version);
        w.WriteStartArray("topics");
        foreach (var (_, t) in image.Topics.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("id", t.TopicId);
            w.WriteBoolean("internal", t.IsInternal);
            w.WriteStartObject("configs");
            foreach (var (k, v) in t.Configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            w.WriteStartArray("partitions");
            foreach (var p in t.Partitions)
            {
                w.WriteStartObject();
                w.WriteNumber("index", p.Index);
                w.WriteNumber("leader", p.Leader);
                w.WriteNumber("leaderEpoch", p.LeaderEpoch);
                WriteInts(w, "replicas", p.Replicas);
                WriteInts(w, "isr", p.Isr);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, ImmutableArray<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static ImmutableArray<int> ReadInts(JsonElement e)
    {
        var b = ImmutableArray.CreateBuilder<int>();
        foreach (var v in e.EnumerateArray())
        {
            b.Add(v.GetInt32());
        }

        return b.ToImmutable();
    }

    /// <summary>fsync of a directory makes a rename durable (Linux); a no-op elsewhere.</summary>
    internal static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Native.Open(directory, 0 /* O_RDONLY */);
        if (fd >= 0)
        {
            _ = Native.Fsync(fd);
            _ = Native.Close(fd);
        }
    }

    /// <summary>Cluster ids look like Kafka's: 22 characters of URL-safe base64 of a UUID.</summary>
    internal static string NewClusterId(Guid uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        uuid.TryWriteBytes(bytes, bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static partial class Native
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "fsync")]
        public static partial int Fsync(int fd);

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int fd);
    }
}
