using Cairn.Agent.Checkpoint;
using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Agent.Tests;

public sealed class UpdateLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-updatelog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TaskStatus Update(TaskState state) => new()
    {
        TaskId = new TaskID { Value = "t" },
        State = state,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
    };

    [Fact]
    public void Replay_returns_every_update_and_the_unacknowledged_ones_in_order()
    {
        var path = Path.Combine(_dir, "task.updates");
        var a = Update(TaskState.TaskStarting);
        var b = Update(TaskState.TaskRunning);
        var c = Update(TaskState.TaskFinished);
        using (var log = new UpdateLog(path))
        {
            log.AppendUpdate(a);
            log.AppendUpdate(b);
            log.AppendAck(a.Uuid);
            log.AppendUpdate(c);
        }

        var (all, pending) = UpdateLog.Replay(path);
        all.ShouldBe([a, b, c]);
        pending.ShouldBe([b, c]);
    }

    [Fact]
    public void A_torn_last_line_is_ignored()
    {
        var path = Path.Combine(_dir, "task.updates");
        var a = Update(TaskState.TaskRunning);
        using (var log = new UpdateLog(path))
        {
            log.AppendUpdate(a);
        }

        File.AppendAllText(path, "U CgN0YXN");
        var (all, pending) = UpdateLog.Replay(path);
        all.ShouldBe([a]);
        pending.ShouldBe([a]);
    }

    [Fact]
    public void A_missing_log_replays_as_empty()
    {
        var (all, pending) = UpdateLog.Replay(Path.Combine(_dir, "nope"));
        all.ShouldBeEmpty();
        pending.ShouldBeEmpty();
    }
}
