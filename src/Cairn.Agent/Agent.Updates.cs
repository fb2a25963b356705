using Cairn.Agent.Link;
using Cairn.Agent.Status;
using Cairn.Api.AgentLink;
using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Agent;

public sealed partial class Agent
{
    // A new update: checkpointed (fsync) before it can be sent, then queued on the task's stream.
    private void SendUpdate(TaskRecord record, TaskState state, string? message, TaskStatus.Types.Reason? reason)
    {
        var status = new TaskStatus
        {
            TaskId = record.Info.TaskId,
            State = state,
            Source = TaskStatus.Types.Source.Executor,
            ExecutorId = new ExecutorID { Value = record.TaskId },
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
        };
        if (_agentId is { } agentId)
        {
            status.AgentId = new AgentID { Value = agentId };
        }

        if (message is not null)
        {
            status.Message = message;
        }

        if (reason is { } r)
        {
            status.Reason = r;
        }

        record.State = state;
        record.Statuses.Add(status);
        record.Log.AppendUpdate(status);
        if (record.Updates.Enqueue(status))
        {
            SendHead(record);
        }
    }

    private void Acknowledge(AgentEvent.Types.Acknowledge ack)
    {
        if (!_tasks.TryGetValue(TaskRecord.KeyOf(ack.FrameworkId.Value, ack.TaskId.Value), out var record) || !record.Updates.Acknowledge(ack.Uuid))
        {
            return;
        }

        record.Log.AppendAck(ack.Uuid);
        if (record.Updates.IsClosed)
        {
            Retire(record);
            _tasks.Remove(record.Key);
            return;
        }

        if (record.Updates.Head is not null)
        {
            SendHead(record);
        }
    }

    private void SendDueUpdates()
    {
        if (_linkId is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var record in _tasks.Values)
        {
            if (record.Updates.Due(now) is not null)
            {
                SendHead(record);
            }
        }
    }

    private void SendHead(TaskRecord record)
    {
        if (_linkId is null || _agentId is not { } agentId || record.Updates.Head is not { } head)
        {
            return;
        }

        record.Updates.MarkSent(_time.GetUtcNow());
        var call = new AgentCall
        {
            Type = AgentCall.Types.Type.StatusUpdate,
            AgentId = new AgentID { Value = agentId },
            StatusUpdate = new AgentCall.Types.StatusUpdate { FrameworkId = new FrameworkID { Value = record.FrameworkId }, Status = head },
        };
        if (head.AgentId is null)
        {
            head.AgentId = call.AgentId;
        }

        _ = SendQuietlyAsync(call);
    }

    // Fire and forget: a lost update is resent by the stream's backoff or when the link comes back.
    private async Task SendQuietlyAsync(AgentCall call)
    {
        var result = await _link.SendAsync(call, CancellationToken.None);
        if (result == LinkSendResult.StaleLink)
        {
            Post(new LinkLost());
        }
    }

    // A task whose terminal update was acknowledged (or that is replaced): closed on disk, kept for /state a while.
    private void Retire(TaskRecord record)
    {
        record.Log.Dispose();
        try
        {
            Checkpoint.CheckpointFiles.WriteAtomically(Path.Combine(record.Meta, "completed"), "");
        }
        catch (IOException)
        {
            // the run is reported again after a restart; harmless
        }

        _completed.Enqueue(record);
        while (_completed.Count > MaxCompletedTasks)
        {
            _completed.Dequeue();
        }
    }
}
