using System.Threading.Channels;
using Cairn.Agent.Containerizer;
using Cairn.Agent.Link;
using Cairn.Agent.Sandbox;
using Cairn.Api.AgentLink;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent;

/// <summary>
/// The agent's domain state (tasks, frameworks, update streams, link status), mutated only on one loop fed
/// by a channel, like a Mesos libprocess actor. HTTP handlers, the master link and process reapers post
/// messages and, where they need an answer, await it.
/// </summary>
public sealed partial class Agent
{
    private static readonly TimeSpan s_tickInterval = TimeSpan.FromMilliseconds(500);
    private const int MaxCompletedTasks = 1000;

    private readonly AgentOptions _options;
    private readonly WorkDirLayout _layout;
    private readonly ProcessContainerizer _containerizer;
    private readonly IMasterLink _link;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<AgentMessage> _inbox = Channel.CreateUnbounded<AgentMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, TaskRecord> _tasks = new(StringComparer.Ordinal);
    private readonly Queue<TaskRecord> _completed = new();
    private readonly Dictionary<string, FrameworkInfo> _frameworks = new(StringComparer.Ordinal);
    private string? _agentId;
    private string? _linkId;
    private long _generation;
    private TaskCompletionSource? _shutdown;

    /// <summary>Creates an agent; call <see cref="Recover"/> and then <see cref="RunAsync"/>.</summary>
    public Agent(AgentOptions options, ProcessContainerizer containerizer, IMasterLink link, TimeProvider time, ILogger logger)
    {
        _options = options;
        _layout = new WorkDirLayout(options.WorkDir);
        _containerizer = containerizer;
        _link = link;
        _time = time;
        _logger = logger;
    }

    /// <summary>The work_dir layout.</summary>
    public WorkDirLayout Layout => _layout;

    /// <summary>The id the master gave this agent (null before the first registration). Read from any thread.</summary>
    public string? CurrentAgentId => Volatile.Read(ref _agentId);

    /// <summary>Hostname reported to the master.</summary>
    public string Hostname => _options.Hostname ?? _options.Ip;

    /// <summary>Port of the agent's HTTP server (set once bound).</summary>
    public int Port { get; set; }

    /// <summary>Raised (on the loop) when the master registers the agent: agent id, and whether it is a re-registration.</summary>
    public event Action<string, bool>? Registered;

    /// <summary>Raised (on the loop) when the master refuses the agent (ERROR event).</summary>
    public event Action<string>? Refused;

    /// <summary>Processes messages until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var tick = _time.CreateTimer(_ => Post(new RetryTick()), null, s_tickInterval, s_tickInterval);
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    Handle(message);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogLoopError(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Post(AgentMessage message) => _inbox.Writer.TryWrite(message);

    private void Handle(AgentMessage message)
    {
        switch (message)
        {
            case LinkEventArrived e:
                HandleEvent(e.LinkId, e.Event);
                break;
            case LinkLost:
                _linkId = null;
                LogLinkLost(_logger);
                break;
            case ProcessExited e:
                OnProcessExited(e);
                break;
            case KillGraceExpired e:
                OnKillGraceExpired(e);
                break;
            case RetryTick:
                SendDueUpdates();
                break;
            case BuildRegister e:
                e.Reply.TrySetResult(BuildRegisterCall());
                break;
            case TakeSnapshot e:
                e.Reply.TrySetResult(Snapshot());
                break;
            case BeginShutdown e:
                StartShutdown(e.Reply);
                break;
        }
    }

    /// <summary>The link's callback for every event (PING excepted).</summary>
    public void OnLinkEvent(string linkId, AgentEvent ev) => Post(new LinkEventArrived(linkId, ev));

    /// <summary>The link's callback when an established link ends.</summary>
    public void OnLinkLost() => Post(new LinkLost());

    /// <summary>Asks the loop for a REGISTER call describing the agent and its tasks.</summary>
    public Task<AgentCall> BuildRegisterAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<AgentCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new BuildRegister(reply));
        return reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A copy of the state for /state.</summary>
    public Task<AgentSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<AgentSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new TakeSnapshot(reply));
        return reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Graceful shutdown: kills every task (SIGTERM, SIGKILL after its grace), waits for the processes to go,
    /// sends their final updates once, and unregisters from the master.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new BeginShutdown(reply));
        await reply.Task.WaitAsync(cancellationToken);
        if (_agentId is { } id)
        {
            var call = new AgentCall { Type = AgentCall.Types.Type.Unregister, AgentId = new AgentID { Value = id } };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            _ = await _link.SendAsync(call, timeout.Token);
        }
    }

    private void HandleEvent(string linkId, AgentEvent ev)
    {
        switch (ev.Type)
        {
            case AgentEvent.Types.Type.Registered:
                OnRegistered(linkId, ev.Registered);
                break;
            case AgentEvent.Types.Type.Launch:
                if (_shutdown is null)
                {
                    foreach (var task in ev.Launch.Tasks)
                    {
                        Launch(ev.Launch.Framework, task);
                    }
                }

                break;
            case AgentEvent.Types.Type.Kill:
                Kill(ev.Kill.FrameworkId.Value, ev.Kill.TaskId.Value, ev.Kill.KillPolicy);
                break;
            case AgentEvent.Types.Type.Acknowledge:
                Acknowledge(ev.Acknowledge);
                break;
            case AgentEvent.Types.Type.ShutdownFramework:
                ShutdownFramework(ev.ShutdownFramework.FrameworkId.Value);
                break;
            case AgentEvent.Types.Type.Error:
                LogRefusedByMaster(_logger, ev.Error.Message);
                Refused?.Invoke(ev.Error.Message);
                break;
        }
    }

    private void OnRegistered(string linkId, AgentEvent.Types.Registered registered)
    {
        var id = registered.AgentId.Value;
        var again = _agentId is not null;
        if (_agentId != id)
        {
            _agentId = id;
            Checkpoint.CheckpointFiles.WriteAtomically(_layout.LatestAgentIdFile, id);
        }

        if (_link is MasterLink master)
        {
            master.AgentId = new AgentID { Value = id };
        }

        _linkId = linkId;
        foreach (var taskId in registered.KillTaskIds)
        {
            foreach (var record in _tasks.Values)
            {
                if (record.TaskId == taskId.Value)
                {
                    record.Silenced = true;
                    Kill(record.FrameworkId, record.TaskId, null);
                }
            }
        }

        // The master may have missed the heads of our streams: send them again now.
        foreach (var record in _tasks.Values)
        {
            record.Updates.ResendNow();
        }

        SendDueUpdates();
        Registered?.Invoke(id, again);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "agent loop: {Error}")]
    private static partial void LogLoopError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lost the link to the master; status updates are kept until it is back")]
    private static partial void LogLinkLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "the master refused this agent: {Message}")]
    private static partial void LogRefusedByMaster(ILogger logger, string message);
}
