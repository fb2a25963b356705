using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Cairn.Api.AgentLink;
using Cairn.Api.Conversions;
using Cairn.Common;
using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Bench.ClusterSim;

/// <summary>
/// An agent that speaks the real agent link (docs/api/agent-link.md) but runs nothing: on LAUNCH it reports
/// TASK_RUNNING, and after the framework acknowledges that, TASK_FINISHED. Answers PING with PONG.
/// </summary>
internal sealed class SimulatedAgent(HttpClient streams, HttpClient calls, int index, Resources resources, SimCounters counters)
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly ConcurrentDictionary<string, (FrameworkID Framework, TaskID Task)> _awaitingRunningAck = new();
    private string? _linkId;
    private AgentID? _agentId;

    public TaskCompletionSource Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var info = new AgentInfo { Hostname = $"sim-{index}.local", Port = 5051 };
        resources.AddTo(info.Resources);
        Attributes.Parse($"rack:r{index % 50}").AddTo(info.Attributes);
        var call = new AgentCall { Type = AgentCall.Types.Type.Register, Register = new AgentCall.Types.Register { AgentInfo = info } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cairn/v1/agent") { Content = Body(call) };
        using var response = await streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        _linkId = response.Headers.GetValues("Cairn-Link-Id").First();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await RecordIoStreamReader.ReadAllAsync(stream, record => OnEventAsync(AgentEvent.Parser.ParseFrom(record), cancellationToken), cancellationToken);
    }

    private async ValueTask OnEventAsync(AgentEvent e, CancellationToken cancellationToken)
    {
        switch (e.Type)
        {
            case AgentEvent.Types.Type.Registered:
                _agentId = e.Registered.AgentId;
                Registered.TrySetResult();
                break;
            case AgentEvent.Types.Type.Ping:
                _ = SendAsync(new AgentCall { Type = AgentCall.Types.Type.Pong, Pong = new AgentCall.Types.Pong { Sequence = e.Ping.Sequence } }, cancellationToken);
                break;
            case AgentEvent.Types.Type.Launch:
                foreach (var task in e.Launch.Tasks)
                {
                    var uuid = Guid.NewGuid().ToString();
                    _awaitingRunningAck[uuid] = (e.Launch.Framework.Id, task.TaskId);
                    _ = UpdateAsync(e.Launch.Framework.Id, task.TaskId, TaskState.TaskRunning, uuid, cancellationToken);
                }

                break;
            case AgentEvent.Types.Type.Acknowledge:
                var acked = new Guid(e.Acknowledge.Uuid.Span).ToString();
                if (_awaitingRunningAck.TryRemove(acked, out var running))
                {
                    _ = UpdateAsync(running.Framework, running.Task, TaskState.TaskFinished, Guid.NewGuid().ToString(), cancellationToken);
                }

                break;
        }

        await ValueTask.CompletedTask;
    }

    private async Task UpdateAsync(FrameworkID framework, TaskID task, TaskState state, string uuid, CancellationToken cancellationToken)
    {
        var status = new TaskStatus
        {
            TaskId = task,
            AgentId = _agentId,
            State = state,
            Source = TaskStatus.Types.Source.Executor,
            Uuid = ByteString.CopyFrom(Guid.Parse(uuid).ToByteArray()),
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        };
        var call = new AgentCall { Type = AgentCall.Types.Type.StatusUpdate, StatusUpdate = new AgentCall.Types.StatusUpdate { FrameworkId = framework, Status = status } };
        await SendAsync(call, cancellationToken);
        Interlocked.Increment(ref state == TaskState.TaskRunning ? ref counters.RunningSent : ref counters.FinishedSent);
    }

    private async Task SendAsync(AgentCall call, CancellationToken cancellationToken)
    {
        call.AgentId = _agentId;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/cairn/v1/agent") { Content = Body(call) };
                request.Headers.TryAddWithoutValidation("Cairn-Link-Id", _linkId);
                using var response = await calls.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                Interlocked.Increment(ref counters.AgentCallErrors);
            }
            catch (HttpRequestException) when (attempt < 5)
            {
                Interlocked.Increment(ref counters.AgentCallErrors);
            }

            if (attempt >= 5)
            {
                return;
            }

            await Task.Delay(100 * (attempt + 1), cancellationToken);
        }
    }

    private static ByteArrayContent Body(IMessage message)
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = Protobuf;
        return content;
    }
}
