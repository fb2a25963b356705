using Mesos.V1;
using Mesos.V1.Scheduler;

namespace Cairn.Scheduler;

public sealed partial class SchedulerClient
{
    /// <summary>
    /// Sends a call on the current subscription (framework id and <c>Mesos-Stream-Id</c> are filled in).
    /// 202 is success; everything else, including "not subscribed right now", is a failed <see cref="CallResult"/>.
    /// </summary>
    public async Task<CallResult> SendAsync(Call call, CancellationToken cancellationToken)
    {
        var leader = _leader;
        var streamId = _streamId;
        var frameworkId = _frameworkId;
        if (leader is null || streamId is null || frameworkId is null)
        {
            return CallResult.Unreachable("not subscribed");
        }

        call.FrameworkId = frameworkId;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = NewRequest(leader, call, streamId);
            using var response = await _http.SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return new CallResult(response.StatusCode, null);
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new CallResult(response.StatusCode, body.Trim());
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return CallResult.Unreachable(e.Message);
        }
    }

    /// <summary>ACCEPT: applies <paramref name="operations"/> to the offers; unused resources are declined with <paramref name="filters"/>.</summary>
    public Task<CallResult> AcceptAsync(IEnumerable<OfferID> offerIds, IEnumerable<Offer.Types.Operation> operations, Filters? filters, CancellationToken cancellationToken)
    {
        var accept = new Call.Types.Accept();
        accept.OfferIds.AddRange(offerIds);
        accept.Operations.AddRange(operations);
        if (filters is not null)
        {
            accept.Filters = filters;
        }

        return SendAsync(new Call { Type = Call.Types.Type.Accept, Accept = accept }, cancellationToken);
    }

    /// <summary>ACCEPT with one LAUNCH operation of <paramref name="tasks"/> on <paramref name="offer"/>.</summary>
    public Task<CallResult> LaunchAsync(Offer offer, IEnumerable<TaskInfo> tasks, Filters? filters, CancellationToken cancellationToken)
    {
        var launch = new Offer.Types.Operation.Types.Launch();
        launch.TaskInfos.AddRange(tasks);
        var operation = new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = launch };
        return AcceptAsync([offer.Id], [operation], filters, cancellationToken);
    }

    /// <summary>DECLINE: gives the offers back; <paramref name="filters"/> (refuse_seconds) keeps them away for a while.</summary>
    public Task<CallResult> DeclineAsync(IEnumerable<OfferID> offerIds, Filters? filters, CancellationToken cancellationToken)
    {
        var decline = new Call.Types.Decline();
        decline.OfferIds.AddRange(offerIds);
        if (filters is not null)
        {
            decline.Filters = filters;
        }

        return SendAsync(new Call { Type = Call.Types.Type.Decline, Decline = decline }, cancellationToken);
    }

    /// <summary>KILL a task; <paramref name="killPolicy"/> overrides the task's grace period.</summary>
    public Task<CallResult> KillAsync(TaskID taskId, AgentID? agentId, KillPolicy? killPolicy, CancellationToken cancellationToken)
    {
        var kill = new Call.Types.Kill { TaskId = taskId };
        if (agentId is not null)
        {
            kill.AgentId = agentId;
        }

        if (killPolicy is not null)
        {
            kill.KillPolicy = killPolicy;
        }

        return SendAsync(new Call { Type = Call.Types.Type.Kill, Kill = kill }, cancellationToken);
    }

    /// <summary>
    /// ACKNOWLEDGE a status update. Updates without a uuid (reconciliation answers, master-generated) must not be
    /// acknowledged: for those this returns success without sending anything.
    /// </summary>
    public Task<CallResult> AcknowledgeAsync(TaskStatus status, CancellationToken cancellationToken)
    {
        if (!status.HasUuid || status.Uuid.IsEmpty || status.AgentId is null)
        {
            return Task.FromResult(new CallResult(System.Net.HttpStatusCode.Accepted, null));
        }

        var ack = new Call.Types.Acknowledge { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid };
        return SendAsync(new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = ack }, cancellationToken);
    }

    /// <summary>RECONCILE: explicit for the given tasks, implicit (every task the master knows) when none are given.</summary>
    public Task<CallResult> ReconcileAsync(IEnumerable<(TaskID TaskId, AgentID? AgentId)> tasks, CancellationToken cancellationToken)
    {
        var reconcile = new Call.Types.Reconcile();
        foreach (var (taskId, agentId) in tasks)
        {
            var task = new Call.Types.Reconcile.Types.Task { TaskId = taskId };
            if (agentId is not null)
            {
                task.AgentId = agentId;
            }

            reconcile.Tasks.Add(task);
        }

        return SendAsync(new Call { Type = Call.Types.Type.Reconcile, Reconcile = reconcile }, cancellationToken);
    }

    /// <summary>REVIVE: offers again for <paramref name="roles"/> (all roles when empty), clearing refuse filters.</summary>
    public Task<CallResult> ReviveAsync(IEnumerable<string> roles, CancellationToken cancellationToken)
    {
        var revive = new Call.Types.Revive();
        revive.Roles.AddRange(roles);
        return SendAsync(new Call { Type = Call.Types.Type.Revive, Revive = revive }, cancellationToken);
    }

    /// <summary>SUPPRESS: no more offers for <paramref name="roles"/> (all roles when empty) until REVIVE.</summary>
    public Task<CallResult> SuppressAsync(IEnumerable<string> roles, CancellationToken cancellationToken)
    {
        var suppress = new Call.Types.Suppress();
        suppress.Roles.AddRange(roles);
        return SendAsync(new Call { Type = Call.Types.Type.Suppress, Suppress = suppress }, cancellationToken);
    }

    /// <summary>TEARDOWN: removes the framework; the master kills its tasks.</summary>
    public Task<CallResult> TeardownAsync(CancellationToken cancellationToken) =>
        SendAsync(new Call { Type = Call.Types.Type.Teardown }, cancellationToken);
}
