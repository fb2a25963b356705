using Cairn.Api.AgentLink;
using Cairn.Api.Conversions;
using Cairn.Master.Model;
using Mesos.V1;
using Mesos.V1.Scheduler;
using SchedulerEvent = Mesos.V1.Scheduler.Event;

namespace Cairn.Master.Core;

/// <summary>Scheduler calls other than SUBSCRIBE (mesos.md §2.4).</summary>
public sealed partial class MasterCore
{
    /// <summary>Validates the caller (framework id, subscription, stream id) and applies the call.</summary>
    public CallResult Handle(Call call, string? streamId)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_frameworks.TryGetValue(call.FrameworkId.Value, out var framework))
        {
            return CallResult.BadRequest("Framework cannot be found");
        }

        if (framework.Stream is null)
        {
            return CallResult.Forbidden("Framework is not subscribed");
        }

        if (streamId is null)
        {
            return CallResult.BadRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }

        if (streamId != framework.Stream.Id)
        {
            return CallResult.BadRequest($"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {framework.Id}");
        }

        switch (call.Type)
        {
            case Call.Types.Type.Teardown:
                RemoveFramework(framework, "TEARDOWN");
                return CallResult.Accepted;
            case Call.Types.Type.Accept:
                Accept(framework, call.Accept.OfferIds, call.Accept.Operations, call.Accept.Filters);
                return CallResult.Accepted;
            case Call.Types.Type.Decline:
                Accept(framework, call.Decline.OfferIds, [], call.Decline.Filters);
                return CallResult.Accepted;
            case Call.Types.Type.Revive:
                return Revive(framework, call.Revive?.Roles);
            case Call.Types.Type.Suppress:
                return Suppress(framework, call.Suppress?.Roles);
            case Call.Types.Type.Kill:
                Kill(framework, call.Kill);
                return CallResult.Accepted;
            case Call.Types.Type.Acknowledge:
                return Acknowledge(framework, call.Acknowledge);
            case Call.Types.Type.Reconcile:
                Reconcile(framework, call.Reconcile.Tasks);
                return CallResult.Accepted;
            case Call.Types.Type.Shutdown:
            case Call.Types.Type.Message:
            case Call.Types.Type.Request:
            case Call.Types.Type.AcceptInverseOffers:
            case Call.Types.Type.DeclineInverseOffers:
            case Call.Types.Type.AcknowledgeOperationStatus:
            case Call.Types.Type.ReconcileOperations:
                // Accepted and ignored: Cairn runs command tasks without custom executors, has no
                // maintenance schedules and no operation feedback; Mesos ignores REQUEST too.
                return CallResult.Accepted;
            default:
                return CallResult.BadRequest($"Unsupported call type {call.Type}");
        }
    }

    private CallResult Revive(FrameworkRecord framework, IReadOnlyCollection<string>? roles)
    {
        var error = ValidateRoles(framework, roles);
        if (error is not null)
        {
            return CallResult.BadRequest(error);
        }

        if (roles is null || roles.Count == 0)
        {
            framework.SuppressedRoles.Clear();
        }
        else
        {
            foreach (var role in roles)
            {
                framework.SuppressedRoles.Remove(role);
            }
        }

        _allocator.Revive(framework.Id, roles ?? []);
        RequestAllocation();
        return CallResult.Accepted;
    }

    private CallResult Suppress(FrameworkRecord framework, IReadOnlyCollection<string>? roles)
    {
        var error = ValidateRoles(framework, roles);
        if (error is not null)
        {
            return CallResult.BadRequest(error);
        }

        foreach (var role in roles is null || roles.Count == 0 ? framework.Roles : roles)
        {
            framework.SuppressedRoles.Add(role);
        }

        _allocator.Suppress(framework.Id, roles ?? []);
        return CallResult.Accepted;
    }

    private static string? ValidateRoles(FrameworkRecord framework, IReadOnlyCollection<string>? roles)
    {
        if (roles is null)
        {
            return null;
        }

        foreach (var role in roles)
        {
            var found = false;
            foreach (var own in framework.Roles)
            {
                found |= own == role;
            }

            if (!found)
            {
                return $"Role '{role}' is not one of the framework's roles";
            }
        }

        return null;
    }

    private void Kill(FrameworkRecord framework, Call.Types.Kill kill)
    {
        if (!framework.Tasks.TryGetValue(kill.TaskId.Value, out var task))
        {
            // Mesos answers a kill of an unknown task with reconciliation of that task.
            var status = new TaskStatus { TaskId = kill.TaskId.Clone(), State = TaskState.TaskLost };
            if (kill.AgentId is { } agentId)
            {
                status.AgentId = agentId.Clone();
            }

            ReconcileExplicit(framework, status);
            return;
        }

        if (_agents.TryGetValue(task.AgentId, out var agent) && agent.Link is { } link)
        {
            var killEvent = new AgentEvent.Types.Kill { FrameworkId = new FrameworkID { Value = framework.Id }, TaskId = kill.TaskId.Clone() };
            if (kill.KillPolicy is { } policy)
            {
                killEvent.KillPolicy = policy.Clone();
            }

            link.Send(new AgentEvent { Type = AgentEvent.Types.Type.Kill, Kill = killEvent });
        }
    }

    private CallResult Acknowledge(FrameworkRecord framework, Call.Types.Acknowledge acknowledge)
    {
        if (acknowledge.Uuid.Length != 16)
        {
            return CallResult.BadRequest("'uuid' of ACKNOWLEDGE must be a 16-byte UUID");
        }

        if (!_agents.TryGetValue(acknowledge.AgentId.Value, out var agent))
        {
            Counters.InvalidStatusUpdates++;
            return CallResult.Accepted;
        }

        if (agent.Link is { } link)
        {
            link.Send(new AgentEvent
            {
                Type = AgentEvent.Types.Type.Acknowledge,
                Acknowledge = new AgentEvent.Types.Acknowledge
                {
                    FrameworkId = new FrameworkID { Value = framework.Id },
                    TaskId = acknowledge.TaskId.Clone(),
                    Uuid = acknowledge.Uuid,
                },
            });
        }

        // The terminal update is acknowledged: the task is complete.
        if (framework.Tasks.TryGetValue(acknowledge.TaskId.Value, out var task) && task.IsTerminal
            && task.LatestStatus is { } latest && latest.Uuid == acknowledge.Uuid)
        {
            CompleteTask(framework, task);
        }

        return CallResult.Accepted;
    }

    /// <summary>ACCEPT (and DECLINE, which is ACCEPT without operations).</summary>
    private void Accept(FrameworkRecord framework, IList<OfferID> offerIds, IList<Offer.Types.Operation> operations, Filters? filters)
    {
        var refuse = filters is { HasRefuseSeconds: true } ? filters.RefuseSeconds : _options.DefaultRefuseSeconds;
        var offerError = ValidateOffers(framework, offerIds, out var offers);
        // Offers that are valid are used up whatever happens next (Mesos removes them first).
        foreach (var offer in offers)
        {
            RemoveOffer(offer);
        }

        if (offerError is not null)
        {
            foreach (var offer in offers)
            {
                _allocator.RecoverResources(framework.Id, offer.AgentId, offer.Resources.ToProto(), null);
            }

            var state = framework.PartitionAware ? TaskState.TaskDropped : TaskState.TaskLost;
            foreach (var operation in operations)
            {
                foreach (var task in TasksOf(operation))
                {
                    Counters.TasksDropped++;
                    SendUpdate(framework, MasterStatus(task.TaskId, task.AgentId, state, TaskStatus.Types.Reason.InvalidOffers, "Task launched with invalid offers: " + offerError));
                }
            }

            RequestAllocation();
            return;
        }

        if (offers.Count == 0)
        {
            return;
        }

        if (operations.Count == 0)
        {
            Counters.OffersDeclined += offers.Count;
        }
        else
        {
            Counters.OffersAccepted += offers.Count;
        }

        var agentId = offers[0].AgentId;
        var role = offers[0].Role;
        var available = Cairn.Common.Resources.Empty;
        foreach (var offer in offers)
        {
            available += offer.Resources;
        }

        _agents.TryGetValue(agentId, out var agent);
        var launched = new List<TaskInfo>();
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            switch (operation.Type)
            {
                case Offer.Types.Operation.Types.Type.Launch:
                    foreach (var taskInfo in operation.Launch.TaskInfos)
                    {
                        LaunchOne(framework, agent, agentId, role, taskInfo, null, ref available, batchIds, launched);
                    }

                    break;
                case Offer.Types.Operation.Types.Type.LaunchGroup:
                    foreach (var taskInfo in operation.LaunchGroup.TaskGroup.Tasks)
                    {
                        LaunchOne(framework, agent, agentId, role, taskInfo, operation.LaunchGroup.Executor, ref available, batchIds, launched);
                    }

                    break;
                default:
                    // RESERVE/UNRESERVE/CREATE/DESTROY and friends are not supported: the resources stay unused.
                    break;
            }
        }

        if (launched.Count > 0 && agent?.Link is { } link)
        {
            var launch = new AgentEvent.Types.Launch { Framework = framework.Info.Clone() };
            launch.Tasks.AddRange(launched);
            link.Send(new AgentEvent { Type = AgentEvent.Types.Type.Launch, Launch = launch });
        }

        if (!available.IsEmpty)
        {
            _allocator.RecoverResources(framework.Id, agentId, available.ToProto(), refuse);
        }

        RequestAllocation();
    }

    private void LaunchOne(FrameworkRecord framework, AgentRecord? agent, string agentId, string role, TaskInfo taskInfo, ExecutorInfo? groupExecutor, ref Cairn.Common.Resources available, HashSet<string> batchIds, List<TaskInfo> launched)
    {
        var task = taskInfo.Clone();
        // Mesos injects allocation_info for frameworks that do not set it (pre-MULTI_ROLE).
        foreach (var resource in task.Resources)
        {
            resource.AllocationInfo ??= new Resource.Types.AllocationInfo { Role = role };
        }

        if (groupExecutor is not null && task.Executor is null && task.Command is null)
        {
            task.Executor = groupExecutor.Clone();
        }

        var error = ValidateTask(framework, agentId, task, available, batchIds, out var resources);
        if (error is not null)
        {
            Counters.TasksError++;
            SendUpdate(framework, MasterStatus(task.TaskId, task.AgentId, TaskState.TaskError, TaskStatus.Types.Reason.TaskInvalid, error));
            return;
        }

        batchIds.Add(task.TaskId.Value);
        available -= resources;
        if (agent is null || !agent.Active)
        {
            // The agent vanished between offer and accept.
            var state = framework.PartitionAware ? TaskState.TaskDropped : TaskState.TaskLost;
            Counters.TasksDropped++;
            _allocator.RecoverResources(framework.Id, agentId, resources.ToProto(), null);
            SendUpdate(framework, MasterStatus(task.TaskId, task.AgentId, state, TaskStatus.Types.Reason.AgentRemoved, "Agent is not available"));
            return;
        }

        var record = NewTaskRecord(framework, task, role);
        framework.Tasks.Add(record.Id, record);
        agent.Tasks[(framework.Id, record.Id)] = record;
        Counters.TasksLaunched++;
        launched.Add(task);
    }

    private TaskRecord NewTaskRecord(FrameworkRecord framework, TaskInfo info, string role)
    {
        var task = new Mesos.V1.Task
        {
            Name = info.Name,
            TaskId = info.TaskId.Clone(),
            FrameworkId = new FrameworkID { Value = framework.Id },
            AgentId = info.AgentId.Clone(),
            State = TaskState.TaskStaging,
            User = info.Command is { HasUser: true } command ? command.User : framework.Info.User,
        };
        task.Resources.AddRange(info.Resources);
        if (info.Executor is { } executor)
        {
            task.ExecutorId = executor.ExecutorId.Clone();
        }

        if (info.Labels is { } labels)
        {
            task.Labels = labels.Clone();
        }

        if (info.Discovery is { } discovery)
        {
            task.Discovery = discovery.Clone();
        }

        if (info.Container is { } container)
        {
            task.Container = container.Clone();
        }

        if (info.HealthCheck is { } healthCheck)
        {
            task.HealthCheck = healthCheck.Clone();
        }

        return new TaskRecord(task, role);
    }

    private string? ValidateOffers(FrameworkRecord framework, IList<OfferID> offerIds, out List<OfferRecord> offers)
    {
        offers = new List<OfferRecord>(offerIds.Count);
        string? error = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var offerId in offerIds)
        {
            if (!seen.Add(offerId.Value))
            {
                error ??= $"Duplicate offer {offerId.Value} in ACCEPT";
                continue;
            }

            if (!_offers.TryGetValue(offerId.Value, out var offer))
            {
                error ??= $"Offer {offerId.Value} is no longer valid";
                continue;
            }

            if (offer.FrameworkId != framework.Id)
            {
                error ??= $"Offer {offerId.Value} has invalid framework {offer.FrameworkId} while framework {framework.Id} is expected";
                continue;
            }

            if (offers.Count > 0 && offers[0].AgentId != offer.AgentId)
            {
                error ??= $"Aggregated offers must belong to one single agent. Offer {offer.Id} uses agent {offer.AgentId} and offer {offers[0].Id} uses agent {offers[0].AgentId}";
            }
            else if (offers.Count > 0 && offers[0].Role != offer.Role)
            {
                error ??= $"Aggregated offers must be allocated to the same role. Offer {offer.Id} uses role {offer.Role} and offer {offers[0].Id} uses role {offers[0].Role}";
            }

            offers.Add(offer);
        }

        return error;
    }

    private string? ValidateTask(FrameworkRecord framework, string agentId, TaskInfo task, Cairn.Common.Resources available, HashSet<string> batchIds, out Cairn.Common.Resources resources)
    {
        resources = Cairn.Common.Resources.Empty;
        var idError = ValidateId(task.TaskId?.Value);
        if (idError is not null)
        {
            return "Task ID is invalid: " + idError;
        }

        if (framework.Tasks.ContainsKey(task.TaskId!.Value) || framework.UnreachableTasks.ContainsKey(task.TaskId.Value) || batchIds.Contains(task.TaskId.Value))
        {
            return $"Task has duplicate ID: {task.TaskId.Value}";
        }

        if (task.AgentId?.Value != agentId)
        {
            return $"Task uses invalid agent: {task.AgentId?.Value}";
        }

        if ((task.Command is null) == (task.Executor is null))
        {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }

        if (task.Command is { } command && !command.HasValue && task.Container is null)
        {
            return "Task's CommandInfo must have a 'value'";
        }

        if (task.Resources.Count == 0)
        {
            return "Task uses no resources";
        }

        if (!ResourceConversions.TryFromProto(task.Resources, out resources, out var resourceError))
        {
            return "Task uses invalid resources: " + resourceError;
        }

        if (task.Executor is { } executor)
        {
            if (ResourceConversions.TryFromProto(executor.Resources, out var executorResources, out _))
            {
                resources += executorResources.AllocateTo(resources.Count > 0 && resources[0].AllocationRole is { } r ? r : "*");
            }
        }

        if (!available.Contains(resources))
        {
            return $"Total resources {resources} required by task and its executor is more than available {available}";
        }

        return null;
    }

    /// <summary>Mesos' id validation (common/validation.cpp).</summary>
    private static string? ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "ID must not be empty";
        }

        if (id.Length > 255)
        {
            return "ID must not be greater than 255 characters";
        }

        if (id is "." or "..")
        {
            return "'.' and '..' are reserved";
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || c is '/' or '\\')
            {
                return $"'{id}' contains invalid characters";
            }
        }

        return null;
    }

    private static IEnumerable<TaskInfo> TasksOf(Offer.Types.Operation operation) => operation.Type switch
    {
        Offer.Types.Operation.Types.Type.Launch => operation.Launch?.TaskInfos ?? (IEnumerable<TaskInfo>)[],
        Offer.Types.Operation.Types.Type.LaunchGroup => operation.LaunchGroup?.TaskGroup?.Tasks ?? (IEnumerable<TaskInfo>)[],
        _ => [],
    };

    private void SendUpdate(FrameworkRecord framework, TaskStatus status) =>
        framework.Stream?.Send(new SchedulerEvent { Type = SchedulerEvent.Types.Type.Update, Update = new SchedulerEvent.Types.Update { Status = status } });
}
