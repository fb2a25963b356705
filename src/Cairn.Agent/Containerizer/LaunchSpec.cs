namespace Cairn.Agent.Containerizer;

/// <summary>What to start for one task: argv, environment, sandbox, and optional resource limits.</summary>
public sealed record LaunchSpec(
    string ContainerId,
    string File,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Environment,
    string Sandbox,
    double? CpuLimit,
    double? MemoryLimitMb);

/// <summary>A started task process: its pid (also its process group and session id) and start time.</summary>
public readonly record struct LaunchedProcess(int Pid, long StartTime);
