using System.Net.Http.Headers;
using Cairn.Api.Conversions;
using Cairn.Common;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Scheduler;

namespace Cairn.Bench.ClusterSim;

/// <summary>
/// A framework over the real v1 scheduler API (protobuf): packs as many tiny tasks into each offer as fit until its
/// quota of tasks is launched, acknowledges every update, then declines with a long filter and suppresses.
/// </summary>
internal sealed class SimulatedFramework(HttpClient streams, HttpClient calls, string name, int tasks, Resources taskResources, SimCounters counters)
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FrameworkID? _id;
    private string? _streamId;
    private int _launched;
    private int _finished;
    private bool _suppressed;

    public Task Done => _done.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var subscribe = new Call
        {
            Type = Call.Types.Type.Subscribe,
            Subscribe = new Call.Types.Subscribe { FrameworkInfo = new FrameworkInfo { User = "sim", Name = name, Roles = { "*" } } },
        };
        subscribe.Subscribe.FrameworkInfo.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.MultiRole });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = Body(subscribe) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var response = await streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        _streamId = response.Headers.GetValues("Mesos-Stream-Id").First();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await RecordIoStreamReader.ReadAllAsync(stream, record => OnEventAsync(Event.Parser.ParseFrom(record), cancellationToken), cancellationToken);
    }

    private ValueTask OnEventAsync(Event e, CancellationToken cancellationToken)
    {
        switch (e.Type)
        {
            case Event.Types.Type.Subscribed:
                _id = e.Subscribed.FrameworkId;
                break;
            case Event.Types.Type.Offers:
                foreach (var offer in e.Offers.Offers_)
                {
                    Interlocked.Increment(ref counters.Offers);
                    _ = AnswerOfferAsync(offer, cancellationToken);
                }

                break;
            case Event.Types.Type.Update:
                OnUpdate(e.Update.Status, cancellationToken);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private async Task AnswerOfferAsync(Offer offer, CancellationToken cancellationToken)
    {
        var available = ResourceConversions.FromProto(offer.Resources).Unallocated();
        var role = offer.AllocationInfo?.Role ?? "*";
        var task = taskResources.AllocateTo(role);
        var launch = new Offer.Types.Operation.Types.Launch();
        while (_launched < tasks && available.Contains(taskResources))
        {
            var n = Interlocked.Increment(ref _launched);
            if (n > tasks)
            {
                break;
            }

            var info = new TaskInfo { Name = "tiny", TaskId = new TaskID { Value = $"{name}-{n}" }, AgentId = offer.AgentId, Command = new CommandInfo { Value = "true" } };
            task.AddTo(info.Resources);
            launch.TaskInfos.Add(info);
            available -= taskResources;
        }

        var accept = new Call.Types.Accept { Filters = new Filters { RefuseSeconds = launch.TaskInfos.Count > 0 ? 0.5 : 3600 } };
        accept.OfferIds.Add(offer.Id);
        if (launch.TaskInfos.Count > 0)
        {
            accept.Operations.Add(new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = launch });
            Interlocked.Add(ref counters.Launched, launch.TaskInfos.Count);
        }

        await CallAsync(new Call { Type = Call.Types.Type.Accept, Accept = accept }, cancellationToken);
        if (Volatile.Read(ref _launched) >= tasks && !_suppressed)
        {
            _suppressed = true;
            await CallAsync(new Call { Type = Call.Types.Type.Suppress, Suppress = new Call.Types.Suppress() }, cancellationToken);
        }
    }

    private void OnUpdate(TaskStatus status, CancellationToken cancellationToken)
    {
        switch (status.State)
        {
            case TaskState.TaskRunning:
                Interlocked.Increment(ref counters.Running);
                break;
            case TaskState.TaskFinished:
                Interlocked.Increment(ref counters.Finished);
                if (Interlocked.Increment(ref _finished) == tasks)
                {
                    _done.TrySetResult();
                }

                break;
            default:
                Interlocked.Increment(ref counters.OtherTerminal);
                break;
        }

        if (status.HasUuid)
        {
            var ack = new Call.Types.Acknowledge { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid };
            _ = CallAsync(new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = ack }, cancellationToken);
        }
    }

    private async Task CallAsync(Call call, CancellationToken cancellationToken)
    {
        call.FrameworkId = _id;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = Body(call) };
            request.Headers.TryAddWithoutValidation("Mesos-Stream-Id", _streamId);
            using var response = await calls.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref counters.SchedulerCallErrors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref counters.SchedulerCallErrors);
        }
    }

    private static ByteArrayContent Body(IMessage message)
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = Protobuf;
        return content;
    }
}
