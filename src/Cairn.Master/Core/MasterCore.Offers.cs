using Cairn.Api.Conversions;
using Cairn.Master.Model;
using Mesos.V1;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Core;

/// <summary>Offers: made from allocator grants, rescinded, expired.</summary>
public sealed partial class MasterCore
{
    /// <summary>Runs an allocation cycle and sends the resulting OFFERS events.</summary>
    public void Allocate()
    {
        var now = Now;
        _allocationRequested = false;
        _nextAllocation = now + _options.AllocationInterval;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var grants = _allocator.Allocate(now);
        Counters.AllocationRuns++;
        Counters.LastAllocationRunMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (grants.Count == 0)
        {
            return;
        }

        var byFramework = new Dictionary<string, SchedulerEvent.Types.Offers>(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            if (!_frameworks.TryGetValue(grant.FrameworkId, out var framework) || framework.Stream is null
                || !_agents.TryGetValue(grant.AgentId, out var agent) || !agent.Active)
            {
                _allocator.RecoverResources(grant.FrameworkId, grant.AgentId, grant.Resources, null);
                continue;
            }

            var offer = NewOffer(framework, agent, grant, now);
            if (!byFramework.TryGetValue(framework.Id, out var offers))
            {
                offers = new SchedulerEvent.Types.Offers();
                byFramework.Add(framework.Id, offers);
            }

            offers.Offers_.Add(offer.Offer);
        }

        foreach (var (frameworkId, offers) in byFramework)
        {
            _frameworks[frameworkId].Stream!.Send(new SchedulerEvent { Type = SchedulerEvent.Types.Type.Offers, Offers = offers });
        }
    }

    private OfferRecord NewOffer(FrameworkRecord framework, AgentRecord agent, Allocation.OfferGrant grant, DateTimeOffset now)
    {
        var offer = new Offer
        {
            Id = new OfferID { Value = _ids.NextOfferId() },
            FrameworkId = new FrameworkID { Value = framework.Id },
            AgentId = new AgentID { Value = agent.Id },
            Hostname = agent.Info.Hostname,
            Url = new URL
            {
                Scheme = "http",
                Address = new Address { Hostname = agent.Info.Hostname, Ip = agent.Info.Hostname, Port = agent.Info.HasPort ? agent.Info.Port : 5051 },
                Path = "/slave(1)",
            },
            AllocationInfo = new Resource.Types.AllocationInfo { Role = grant.Role },
        };
        foreach (var resource in grant.Resources)
        {
            var copy = resource.Clone();
            copy.AllocationInfo = new Resource.Types.AllocationInfo { Role = grant.Role };
            offer.Resources.Add(copy);
        }

        offer.Attributes.AddRange(agent.Info.Attributes);
        var executors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in agent.Tasks.Values)
        {
            if (task.FrameworkId == framework.Id && task.Task.ExecutorId is { } executorId && executors.Add(executorId.Value))
            {
                offer.ExecutorIds.Add(executorId.Clone());
            }
        }

        var resources = ResourceConversions.TryFromProto(offer.Resources, out var parsed, out _) ? parsed : Cairn.Common.Resources.Empty;
        var record = new OfferRecord(offer, grant.Role, resources, _options.OfferTimeout is { } timeout ? now + timeout : null);
        _offers.Add(record.Id, record);
        framework.OfferIds.Add(record.Id);
        agent.OfferIds.Add(record.Id);
        Counters.OffersMade++;
        return record;
    }

    /// <summary>Forgets an offer (used, declined, rescinded); its resources are the caller's business.</summary>
    private void RemoveOffer(OfferRecord offer)
    {
        _offers.Remove(offer.Id);
        if (_frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.OfferIds.Remove(offer.Id);
        }

        if (_agents.TryGetValue(offer.AgentId, out var agent))
        {
            agent.OfferIds.Remove(offer.Id);
        }
    }

    /// <summary>Withdraws an offer: RESCIND to the framework, resources back to the allocator.</summary>
    private void RescindOffer(OfferRecord offer, bool sendRescind, bool recover)
    {
        RemoveOffer(offer);
        Counters.OffersRescinded++;
        if (recover)
        {
            _allocator.RecoverResources(offer.FrameworkId, offer.AgentId, offer.Resources.ToProto(), null);
        }

        if (sendRescind && _frameworks.TryGetValue(offer.FrameworkId, out var framework))
        {
            framework.Stream?.Send(new SchedulerEvent { Type = SchedulerEvent.Types.Type.Rescind, Rescind = new SchedulerEvent.Types.Rescind { OfferId = offer.Offer.Id.Clone() } });
        }

        RequestAllocation();
    }

    private void RescindFrameworkOffers(FrameworkRecord framework, bool sendRescind)
    {
        foreach (var offerId in framework.OfferIds.ToArray())
        {
            RescindOffer(_offers[offerId], sendRescind, recover: true);
        }
    }

    /// <summary>Offers on an agent that leaves the allocator are rescinded without returning resources.</summary>
    private void RescindAgentOffers(AgentRecord agent, bool recover)
    {
        foreach (var offerId in agent.OfferIds.ToArray())
        {
            RescindOffer(_offers[offerId], sendRescind: true, recover);
        }
    }

    private void ExpireOffers(DateTimeOffset now)
    {
        if (_options.OfferTimeout is null || _offers.Count == 0)
        {
            return;
        }

        List<OfferRecord>? expired = null;
        foreach (var offer in _offers.Values)
        {
            if (offer.ExpiresAt is { } at && at <= now)
            {
                (expired ??= []).Add(offer);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var offer in expired)
        {
            RescindOffer(offer, sendRescind: true, recover: true);
        }
    }
}
