using Mesos.V1;

namespace Cairn.Agent;

/// <summary>Configuration of one agent (the Mesos-style flags of <c>cairn agent</c>).</summary>
public sealed class AgentOptions
{
    /// <summary>The master, host:port.</summary>
    public required string Master { get; init; }

    /// <summary>Sandboxes and checkpoints; reusing it across restarts re-adopts running tasks.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Address the agent's HTTP server binds.</summary>
    public string Ip { get; init; } = "127.0.0.1";

    /// <summary>Port of the agent's HTTP server (Mesos: 5051); 0 picks a free one.</summary>
    public int Port { get; init; } = 5051;

    /// <summary>Hostname reported to the master; defaults to <see cref="Ip"/>.</summary>
    public string? Hostname { get; init; }

    /// <summary>Total resources offered to frameworks.</summary>
    public required IReadOnlyList<Resource> Resources { get; init; }

    /// <summary>Attributes, e.g. rack:r1.</summary>
    public IReadOnlyList<Mesos.V1.Attribute> Attributes { get; init; } = [];

    /// <summary>Enforce cpu.shares and memory limits with cgroups v1.</summary>
    public bool Cgroups { get; init; }

    /// <summary>Default kill grace period for command tasks (Mesos: 3 s).</summary>
    public TimeSpan DefaultKillGracePeriod { get; init; } = TimeSpan.FromSeconds(3);
}
