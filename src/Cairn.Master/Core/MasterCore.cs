using Cairn.Common;
using Cairn.Master.Allocation;
using Cairn.Master.Model;
using Cairn.Master.Options;
using Cairn.Master.Registry;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Master.Core;

/// <summary>
/// The master's domain state and logic: frameworks, agents, offers, tasks and the allocator.
/// Not thread-safe by design: <see cref="Hosting.MasterLoop"/> calls it from one logical thread,
/// and unit tests call it directly on a fake clock. Time only moves through <see cref="Tick"/>.
/// Partial files split it by concern (frameworks, calls, offers, agents, tasks, reconciliation,
/// timers, state rendering).
/// </summary>
public sealed partial class MasterCore
{
    /// <summary>The version Cairn reports where Mesos reports its own (tools check it).</summary>
    public const string MesosCompatibleVersion = "1.11.0";

    /// <summary>How long agents known from the registry have to re-register (Mesos' --agent_reregister_timeout).</summary>
    public static readonly TimeSpan AgentReregisterTimeout = TimeSpan.FromMinutes(10);

    private const int MaxCompletedFrameworks = 50;

    private readonly MasterOptions _options;
    private readonly TimeProvider _time;
    private readonly IOfferAllocator _allocator;
    private readonly ILogger _logger;
    private readonly IdGenerator _ids;
    private readonly Dictionary<string, FrameworkRecord> _frameworks = new(StringComparer.Ordinal);
    private readonly LinkedList<FrameworkRecord> _completedFrameworks = new();
    private readonly HashSet<string> _removedFrameworkIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentRecord> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OfferRecord> _offers = new(StringComparer.Ordinal);
    private readonly RegistryState _registry;
    private DateTimeOffset _nextAllocation;
    private bool _allocationRequested;
    private long _linkCounter;

    public MasterCore(MasterOptions options, TimeProvider time, IOfferAllocator allocator, ILogger logger, RegistryState? recovered = null, string? masterId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _time = time;
        _allocator = allocator;
        _logger = logger;
        _ids = masterId is null ? new IdGenerator(Random.Shared) : new IdGenerator(masterId);
        StartTime = time.GetUtcNow();
        _nextAllocation = StartTime;
        Info = new MasterInfo
        {
            Id = _ids.MasterId,
            Ip = IpToUInt32(options.Ip),
            Port = (uint)options.Port,
            Hostname = options.AdvertisedHostname,
            Pid = $"master@{options.Ip}:{options.Port}",
            Version = MesosCompatibleVersion,
            Address = new Address { Hostname = options.AdvertisedHostname, Ip = options.Ip, Port = options.Port },
        };
        _registry = recovered ?? new RegistryState();
        Recover();
    }

    public string MasterId => _ids.MasterId;

    public MasterInfo Info { get; }

    public DateTimeOffset StartTime { get; }

    public MasterOptions Options => _options;

    /// <summary>What must be durable before registrations are answered.</summary>
    public RegistryState Registry => _registry;

    public IReadOnlyDictionary<string, FrameworkRecord> Frameworks => _frameworks;

    public IReadOnlyDictionary<string, AgentRecord> Agents => _agents;

    public IReadOnlyDictionary<string, OfferRecord> Offers => _offers;

    public MasterCounters Counters { get; } = new();

    /// <summary>Set at shutdown: new subscriptions and agent links are refused (503).</summary>
    public bool Stopping { get; private set; }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Sets the port once Kestrel bound it (port 0 in tests).</summary>
    public void SetBoundPort(int port)
    {
        Info.Port = (uint)port;
        Info.Pid = $"master@{_options.Ip}:{port}";
        Info.Address.Port = port;
    }

    /// <summary>Agents and frameworks from the registry of a previous run wait for their owners to come back.</summary>
    private void Recover()
    {
        var now = Now;
        foreach (var entry in _registry.Agents.Values)
        {
            var info = new AgentInfo { Id = new AgentID { Value = entry.Id }, Hostname = entry.Hostname, Port = entry.Port };
            var agent = new AgentRecord(entry.Id, info, now)
            {
                Recovered = true,
                // Counted as if every ping was missed: unreachable when the re-register window ends.
                MissedPings = _options.MaxAgentPingTimeouts,
                NextPing = now + AgentReregisterTimeout,
            };
            _agents.Add(entry.Id, agent);
        }

        foreach (var entry in _registry.Frameworks.Values)
        {
            var framework = new FrameworkRecord(entry.Info.Id.Value, entry.Info, now) { Recovered = true };
            var timeout = TimeSpan.FromSeconds(Math.Min(entry.Info.FailoverTimeout, TimeSpan.MaxValue.TotalSeconds / 2));
            framework.FailoverDeadline = now + (timeout > AgentReregisterTimeout ? timeout : AgentReregisterTimeout);
            _frameworks.Add(framework.Id, framework);
            _allocator.AddFramework(framework.Id, entry.Info, framework.SuppressedRoles);
            _allocator.DeactivateFramework(framework.Id);
        }
    }

    /// <summary>Ends every subscription and agent link (master shutdown). State is kept: agents
    /// and frameworks reconnect to the next master.</summary>
    public void CloseAllStreams()
    {
        Stopping = true;
        foreach (var framework in _frameworks.Values)
        {
            framework.Stream?.Close();
        }

        foreach (var agent in _agents.Values)
        {
            agent.Link?.Close();
        }
    }

    private string NextLinkId() => $"{MasterId}-L{++_linkCounter}";

    private void RequestAllocation() => _allocationRequested = true;

    private static uint IpToUInt32(string ip)
    {
        // Mesos' MasterInfo.ip is the IPv4 address in network order read as a little-endian integer.
        if (System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return BitConverter.ToUInt32(bytes, 0);
        }

        return 0;
    }
}
