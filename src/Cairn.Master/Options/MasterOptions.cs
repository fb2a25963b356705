namespace Cairn.Master.Options;

/// <summary>The master's configuration (Mesos-style flags of <c>cairn master</c>).</summary>
public sealed class MasterOptions
{
    /// <summary>Directory for the registry (agent and framework ids). Null keeps it in memory.</summary>
    public string? WorkDir { get; set; }

    public string Ip { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 5050;

    /// <summary>Advertised hostname; defaults to <see cref="Ip"/>.</summary>
    public string? Hostname { get; set; }

    public TimeSpan AllocationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Offers not answered within this time are rescinded; null = never.</summary>
    public TimeSpan? OfferTimeout { get; set; }

    public TimeSpan AgentPingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxAgentPingTimeouts { get; set; } = 5;

    /// <summary>Interval of HEARTBEAT events on scheduler streams.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Role weights (<c>--weights role=weight,...</c>).</summary>
    public Dictionary<string, double> Weights { get; } = new(StringComparer.Ordinal);

    /// <summary>Allowed roles (<c>--roles</c>); empty allows any valid role.</summary>
    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Completed tasks kept per framework (Mesos' --max_completed_tasks_per_framework).</summary>
    public int MaxCompletedTasksPerFramework { get; set; } = 1000;

    /// <summary>Default refuse filter for DECLINE and the unused part of ACCEPT (Mesos: 5 s).</summary>
    public double DefaultRefuseSeconds { get; set; } = 5;

    /// <summary>Hostname to advertise.</summary>
    public string AdvertisedHostname => string.IsNullOrEmpty(Hostname) ? Ip : Hostname;

    /// <summary>Parses <c>role=weight,role=weight</c>.</summary>
    public static bool TryParseWeights(string text, Dictionary<string, double> into, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(into);
        error = string.Empty;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(part.AsSpan(eq + 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) || weight <= 0)
            {
                error = $"Invalid weight '{part}': expected role=weight with a positive weight";
                return false;
            }

            into[part[..eq]] = weight;
        }

        return true;
    }
}
