using Cairn.Api.AgentLink;
using Cairn.Master.Model;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Core;

/// <summary>Everything that happens because time passed. The loop calls <see cref="Tick"/>
/// periodically; tests call it after advancing a fake clock.</summary>
public sealed partial class MasterCore
{
    private static readonly SchedulerEvent Heartbeat = new() { Type = SchedulerEvent.Types.Type.Heartbeat };

    public void Tick()
    {
        var now = Now;
        SendHeartbeats(now);
        PingAgents(now);
        ExpireOffers(now);
        RemoveFailedOverFrameworks(now);
        if (_allocationRequested || now >= _nextAllocation)
        {
            Allocate();
        }
    }

    private void SendHeartbeats(DateTimeOffset now)
    {
        foreach (var framework in _frameworks.Values)
        {
            if (framework.Stream is { } stream && now >= framework.NextHeartbeat)
            {
                stream.Send(Heartbeat);
                framework.NextHeartbeat = now + _options.HeartbeatInterval;
            }
        }
    }

    private void PingAgents(DateTimeOffset now)
    {
        List<AgentRecord>? unreachable = null;
        foreach (var agent in _agents.Values)
        {
            if (agent.UnreachableTime is not null || now < agent.NextPing)
            {
                continue;
            }

            if (agent.MissedPings >= _options.MaxAgentPingTimeouts)
            {
                (unreachable ??= []).Add(agent);
                continue;
            }

            agent.MissedPings++;
            agent.NextPing = now + _options.AgentPingTimeout;
            agent.Link?.Send(new AgentEvent { Type = AgentEvent.Types.Type.Ping, Ping = new AgentEvent.Types.Ping { Sequence = ++agent.PingSequence } });
        }

        if (unreachable is null)
        {
            return;
        }

        foreach (var agent in unreachable)
        {
            MarkUnreachable(agent);
        }
    }

    private void RemoveFailedOverFrameworks(DateTimeOffset now)
    {
        List<FrameworkRecord>? expired = null;
        foreach (var framework in _frameworks.Values)
        {
            if (framework.Stream is null && framework.FailoverDeadline is { } deadline && now >= deadline)
            {
                (expired ??= []).Add(framework);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var framework in expired)
        {
            RemoveFramework(framework, "failover timeout elapsed");
        }
    }
}
