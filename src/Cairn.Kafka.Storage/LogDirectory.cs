using System.Collections.Concurrent;
using System.Globalization;
using Cairn.Kafka.Storage.Compaction;
using Cairn.Kafka.Storage.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Kafka.Storage;

/// <summary>
/// All partition logs of one data directory (<c>&lt;data&gt;/&lt;topic&gt;-&lt;partition&gt;/</c>): opens and recovers them
/// at start, creates and deletes partitions, keeps each partition's topic config (overrides persisted in
/// <c>topic.config</c>), and runs the background loops (retention, segment.ms, flush.ms, compaction) on an
/// injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class LogDirectory : IAsyncDisposable
{
    private const string ConfigFile = "topic.config";
    private const string DeleteSuffix = "-delete";

    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionLog> _logs = new();
    private readonly object _createLock = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly LogCleaner _cleaner;
    private readonly List<(PartitionLog Log, string Directory, long DeleteAtMs)> _pendingDeletes = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenanceLoop;
    private Task? _cleanerLoop;
    private LogConfig _defaults;

    private LogDirectory(string path, LogConfig defaults, LogDirectoryOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Path = path;
        _defaults = defaults;
        Options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<LogDirectory>();
        _cleaner = new LogCleaner(loggers.CreateLogger<LogCleaner>());
    }

    /// <summary>The data directory.</summary>
    public string Path { get; }

    public LogDirectoryOptions Options { get; }

    /// <summary>Broker-wide topic defaults (from server.properties) under each topic's overrides.</summary>
    public LogConfig DefaultConfig => Volatile.Read(ref _defaults);

    /// <summary>Opens every partition under <paramref name="path"/> (recovering each) and removes leftovers of deletions.</summary>
    public static LogDirectory Open(
        string path,
        LogConfig defaults,
        LogDirectoryOptions? options = null,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Directory.CreateDirectory(path);
        var directory = new LogDirectory(path, defaults, options ?? new LogDirectoryOptions(), time ?? TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
        directory.OpenAll();
        return directory;
    }

    /// <summary>All open partitions (a snapshot).</summary>
    public IReadOnlyList<PartitionLog> Partitions => [.. _logs.Values];

    public bool TryGet(string topic, int partition, out PartitionLog log) => _logs.TryGetValue((topic, partition), out log!);

    /// <summary>
    /// The partition's log, created with <paramref name="config"/> (or the defaults) when it does not exist.
    /// The config's overrides are persisted so a restart reopens the partition with the same settings.
    /// </summary>
    public PartitionLog GetOrCreate(string topic, int partition, LogConfig? config = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (_logs.TryGetValue((topic, partition), out var existing))
        {
            return existing;
        }

        lock (_createLock)
        {
            if (_logs.TryGetValue((topic, partition), out existing))
            {
                return existing;
            }

            var directory = System.IO.Path.Combine(Path, PartitionDirectoryName(topic, partition));
            var effective = config ?? DefaultConfig;
            Directory.CreateDirectory(directory);
            WriteOverrides(directory, effective);
            var log = PartitionLog.Open(directory, topic, partition, effective, _time, _loggers.CreateLogger<PartitionLog>());
            log.FileDeleteDelayMs = (long)Options.FileDeleteDelay.TotalMilliseconds;
            _logs[(topic, partition)] = log;
            return log;
        }
    }

    /// <summary>
    /// Deletes a partition: it disappears at once (renamed to <c>&lt;topic&gt;-&lt;p&gt;.&lt;uuid&gt;-delete</c>), and its files are
    /// removed by the maintenance loop after file.delete.delay.ms so fetches in flight complete.
    /// </summary>
    public bool Delete(string topic, int partition)
    {
        lock (_createLock)
        {
            if (!_logs.TryRemove((topic, partition), out var log))
            {
                return false;
            }

            var deleted = System.IO.Path.Combine(Path, $"{PartitionDirectoryName(topic, partition)}.{Guid.NewGuid():N}{DeleteSuffix}");
            Directory.Move(log.DirectoryPath, deleted);
            log.MarkDeleted(deleted);
            lock (_pendingDeletes)
            {
                _pendingDeletes.Add((log, deleted, NowMs + (long)Options.FileDeleteDelay.TotalMilliseconds));
            }

            return true;
        }
    }

    /// <summary>Replaces the config of every partition of <paramref name="topic"/> (AlterConfigs) and persists its overrides.</summary>
    public void UpdateConfig(string topic, LogConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var ((t, _), log) in _logs)
        {
            if (t == topic)
            {
                WriteOverrides(log.DirectoryPath, config);
                log.UpdateConfig(config);
            }
        }
    }

    /// <summary>Starts the maintenance and cleaner loops.</summary>
    public void Start()
    {
        _maintenanceLoop ??= Task.Run(() => LoopAsync(Options.MaintenanceInterval, () => RunMaintenance(), _stopping.Token));
        _cleanerLoop ??= Task.Run(() => LoopAsync(Options.CleanerInterval, () => RunCleaner(_stopping.Token), _stopping.Token));
    }

    /// <summary>Stops the loops and closes every partition cleanly (flush, indexes, clean-shutdown checkpoint).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in new[] { _maintenanceLoop, _cleanerLoop })
        {
            if (loop is not null)
            {
                await loop.ConfigureAwait(false);
            }
        }

        foreach (var log in _logs.Values)
        {
            log.Dispose();
        }

        lock (_pendingDeletes)
        {
            foreach (var (log, directory, _) in _pendingDeletes)
            {
                DeleteNow(log, directory);
            }

            _pendingDeletes.Clear();
        }

        _logs.Clear();
        _stopping.Dispose();
    }

    /// <summary><c>&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public static string PartitionDirectoryName(string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}-{partition}");

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void OpenAll()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path))
        {
            var name = System.IO.Path.GetFileName(directory);
            if (name.EndsWith(DeleteSuffix, StringComparison.Ordinal))
            {
                // A deletion that did not finish before the last shutdown.
                Directory.Delete(directory, recursive: true);
                Log.DirectoryDeleted(_logger, directory);
                continue;
            }

            var dash = name.LastIndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                Log.SkippedDirectory(_logger, directory);
                continue;
            }

            var topic = name[..dash];
            var config = ReadOverrides(directory);
            var log = PartitionLog.Open(directory, topic, partition, config, _time, _loggers.CreateLogger<PartitionLog>());
            log.FileDeleteDelayMs = (long)Options.FileDeleteDelay.TotalMilliseconds;
            _logs[(topic, partition)] = log;
        }
    }

    private LogConfig ReadOverrides(string directory)
    {
        var path = System.IO.Path.Combine(directory, ConfigFile);
        if (!File.Exists(path))
        {
            return DefaultConfig;
        }

        var overrides = new List<KeyValuePair<string, string>>();
        foreach (var line in File.ReadAllLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !line.StartsWith('#'))
            {
                overrides.Add(new(line[..eq], line[(eq + 1)..]));
            }
        }

        if (LogConfig.TryParse(overrides, DefaultConfig, out var config, out var error))
        {
            return config;
        }

        Log.BadTopicConfig(_logger, path, error ?? "");
        return DefaultConfig;
    }

    private static void WriteOverrides(string directory, LogConfig config)
    {
        var lines = new List<string>();
        foreach (var (key, value) in config.Overrides)
        {
            lines.Add($"{key}={value}");
        }

        var path = System.IO.Path.Combine(directory, ConfigFile);
        File.WriteAllLines(path + ".tmp", lines);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private void DeleteNow(PartitionLog log, string directory)
    {
        log.CloseForDeletion();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Log.DirectoryDeleted(_logger, directory);
    }
}
