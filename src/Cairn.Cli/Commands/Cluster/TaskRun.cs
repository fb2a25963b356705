using Cairn.Scheduler;
using Mesos.V1;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.V1.TaskStatus;
using Mesos.V1.Scheduler;

namespace Cairn.Cli;

/// <summary>One <c>cairn run</c>: a short-lived framework that launches a single task and follows it.</summary>
internal sealed class TaskRun : IDisposable
{
    private readonly RunRequest _request;
    private readonly TaskID _taskId;
    private readonly ClusterHttp _cluster = new();
    private AgentID? _agentId;
    private bool _launched;
    private bool _killSent;
    private SandboxFileReader? _stdout;
    private SandboxFileReader? _stderr;

    public TaskRun(RunRequest request)
    {
        _request = request;
        _taskId = new TaskID { Value = $"{request.Name}-{Guid.NewGuid():N}"[..Math.Min(request.Name.Length + 13, 200)] };
    }

    public async Task<int> RunAsync(CancellationToken interrupt)
    {
        var framework = new FrameworkInfo
        {
            User = System.Environment.UserName,
            Name = "cairn run",
            FailoverTimeout = 0,
            Capabilities = { new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.MultiRole } },
            Roles = { _request.Role },
        };
        await using var client = new SchedulerClient(new SchedulerClientOptions { Masters = _request.Masters, Framework = framework });
        using var done = new CancellationTokenSource(TimeSpan.FromDays(1));
        await client.StartAsync(done.Token);
        using var pump = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var pumpTask = PumpOutputAsync(pump, done.Token);
        int exitCode;
        try
        {
            exitCode = await FollowAsync(client, interrupt, done.Token);
        }
        finally
        {
            await done.CancelAsync();
            try
            {
                await pumpTask;
            }
            catch (OperationCanceledException)
            {
            }
        }

        await DrainOutputAsync();
        using var teardown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _ = await client.TeardownAsync(teardown.Token);
        return exitCode;
    }

    public void Dispose() => _cluster.Dispose();

    private async Task<int> FollowAsync(SchedulerClient client, CancellationToken interrupt, CancellationToken cancellationToken)
    {
        var events = client.Events;
        while (true)
        {
            Event ev;
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt);
                if (!await events.WaitToReadAsync(wait.Token))
                {
                    Console.Error.WriteLine("cairn run: the subscription ended");
                    return 1;
                }

                if (!events.TryRead(out ev!))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !_killSent)
            {
                _killSent = true;
                if (!_launched)
                {
                    return 130;
                }

                Console.Error.WriteLine("cairn run: interrupted, killing the task");
                _ = await client.KillAsync(_taskId, _agentId, null, cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                await Task.Delay(50, cancellationToken);
                continue;
            }

            switch (ev.Type)
            {
                case Event.Types.Type.Subscribed:
                    Console.Error.WriteLine($"cairn run: subscribed to {client.Leader} as framework {ev.Subscribed.FrameworkId.Value}");
                    if (_launched)
                    {
                        _ = await client.ReconcileAsync([(_taskId, _agentId)], cancellationToken);
                    }

                    break;
                case Event.Types.Type.Offers:
                    await OnOffersAsync(client, ev.Offers.Offers_, cancellationToken);
                    break;
                case Event.Types.Type.Update:
                    var status = ev.Update.Status;
                    if (status.TaskId.Value != _taskId.Value)
                    {
                        break;
                    }

                    var message = status.HasMessage && status.Message.Length > 0 ? ": " + status.Message : "";
                    Console.Error.WriteLine($"cairn run: task {_taskId.Value} {Cairn.Agent.Http.AgentStateJson.StateName(status.State)}{message}");
                    _ = await client.AcknowledgeAsync(status, cancellationToken);
                    if (status.State is TaskState.TaskStarting or TaskState.TaskRunning && _stdout is null && status.AgentId is not null)
                    {
                        await AttachOutputAsync(status.AgentId.Value, client.FrameworkId!.Value, cancellationToken);
                    }

                    if (Cairn.Agent.Status.TaskStates.IsTerminal(status.State))
                    {
                        if (_stdout is null && status.AgentId is not null)
                        {
                            await AttachOutputAsync(status.AgentId.Value, client.FrameworkId!.Value, cancellationToken);
                        }

                        return RunCommand.ExitCodeOf(status);
                    }

                    break;
                case Event.Types.Type.Error:
                    Console.Error.WriteLine($"cairn run: {ev.Error.Message}");
                    return 1;
            }
        }
    }

    private async Task OnOffersAsync(SchedulerClient client, IEnumerable<Offer> offers, CancellationToken cancellationToken)
    {
        var decline = new List<OfferID>();
        foreach (var offer in offers)
        {
            if (_launched || !Fits(offer))
            {
                decline.Add(offer.Id);
                continue;
            }

            _launched = true;
            _agentId = offer.AgentId;
            var task = BuildTask(offer);
            var result = await client.LaunchAsync(offer, [task], new Filters { RefuseSeconds = 5 }, cancellationToken);
            if (!result.IsSuccess)
            {
                Console.Error.WriteLine($"cairn run: ACCEPT failed: {result}");
                _launched = false;
                continue;
            }

            Console.Error.WriteLine($"cairn run: launching task {_taskId.Value} on agent {offer.AgentId.Value} ({offer.Hostname})");
            _ = await client.SuppressAsync([], cancellationToken);
        }

        if (decline.Count > 0)
        {
            _ = await client.DeclineAsync(decline, new Filters { RefuseSeconds = _launched ? 3600 : 1 }, cancellationToken);
        }
    }

    private bool Fits(Offer offer) => Scalar(offer, "cpus") + 1e-9 >= _request.Cpus && Scalar(offer, "mem") + 1e-9 >= _request.Mem;

    private static double Scalar(Offer offer, string name)
    {
        var total = 0.0;
        foreach (var resource in offer.Resources)
        {
            if (resource.Name == name && resource.Scalar is not null)
            {
                total += resource.Scalar.Value;
            }
        }

        return total;
    }

    private TaskInfo BuildTask(Offer offer)
    {
        var command = _request.Argv.Length == 1
            ? new CommandInfo { Shell = true, Value = _request.Argv[0] }
            : new CommandInfo { Shell = false, Value = _request.Argv[0], Arguments = { _request.Argv } };
        var task = new TaskInfo { Name = _request.Name, TaskId = _taskId, AgentId = offer.AgentId, Command = command };
        task.Resources.Add(ScalarLike(offer, "cpus", _request.Cpus));
        task.Resources.Add(ScalarLike(offer, "mem", _request.Mem));
        return task;
    }

    // A scalar with the same role/allocation as the offer's resource of that name.
    private static Resource ScalarLike(Offer offer, string name, double value)
    {
        foreach (var resource in offer.Resources)
        {
            if (resource.Name == name && resource.Scalar is not null && resource.Scalar.Value + 1e-9 >= value)
            {
                var copy = resource.Clone();
                copy.Scalar = new Value.Types.Scalar { Value = value };
                return copy;
            }
        }

        return new Resource { Name = name, Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = value } };
    }

    private async Task AttachOutputAsync(string agentId, string frameworkId, CancellationToken cancellationToken)
    {
        try
        {
            using var state = await _cluster.MasterStateAsync(_request.Masters[0], cancellationToken);
            if (ClusterHttp.AgentUri(state.RootElement, agentId) is not { } agent
                || await _cluster.SandboxAsync(agent, frameworkId, _taskId.Value, cancellationToken) is not { } sandbox)
            {
                return;
            }

            _stderr = new SandboxFileReader(_cluster.Http, agent, Path.Combine(sandbox, "stderr"));
            _stdout = new SandboxFileReader(_cluster.Http, agent, Path.Combine(sandbox, "stdout"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"cairn run: cannot read the task's output: {e.Message}");
        }
    }

    private async Task PumpOutputAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await CopyOnceAsync(cancellationToken);
        }
    }

    private async Task DrainOutputAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await CopyOnceAsync(timeout.Token);
    }

    private async Task CopyOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_stdout is { } stdout)
            {
                var text = await stdout.ReadNewAsync(cancellationToken);
                if (text.Length > 0)
                {
                    await Console.Out.WriteAsync(text);
                    await Console.Out.FlushAsync(cancellationToken);
                }
            }

            if (_stderr is { } stderr)
            {
                var text = await stderr.ReadNewAsync(cancellationToken);
                if (text.Length > 0)
                {
                    await Console.Error.WriteAsync(text);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            // the agent may be briefly unreachable; the next tick tries again
        }
    }
}
