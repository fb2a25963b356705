namespace Cairn.Bench.ClusterSim;

/// <summary>Counters shared by simulated agents and frameworks (updated with Interlocked).</summary>
internal sealed class SimCounters
{
    public long Launched;
    public long Running;
    public long Finished;
    public long RunningSent;
    public long FinishedSent;
    public long Offers;
    public long AgentCallErrors;
    public long SchedulerCallErrors;
    public long OtherTerminal;
}
