using Cairn.Agent.Status;
using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Agent.Tests;

public sealed class StatusUpdateStreamTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskStatus Update(TaskState state) => new()
    {
        TaskId = new TaskID { Value = "t" },
        State = state,
        Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
    };

    [Fact]
    public void Only_the_oldest_update_is_in_flight_and_the_next_goes_after_its_ack()
    {
        var stream = new StatusUpdateStream();
        var starting = Update(TaskState.TaskStarting);
        var running = Update(TaskState.TaskRunning);
        stream.Enqueue(starting).ShouldBeTrue();
        stream.Enqueue(running).ShouldBeFalse();
        stream.Due(s_t0).ShouldBe(starting);
        stream.MarkSent(s_t0);
        stream.Due(s_t0).ShouldBeNull();

        stream.Acknowledge(running.Uuid).ShouldBeFalse();
        stream.Head.ShouldBe(starting);
        stream.Acknowledge(starting.Uuid).ShouldBeTrue();
        stream.Due(s_t0).ShouldBe(running);
    }

    [Fact]
    public void Unacknowledged_head_is_resent_with_backoff_from_10_s_doubling_to_10_min()
    {
        var stream = new StatusUpdateStream();
        stream.Enqueue(Update(TaskState.TaskRunning));
        var now = s_t0;
        var expected = TimeSpan.FromSeconds(10);
        for (var i = 0; i < 12; i++)
        {
            stream.MarkSent(now);
            stream.Due(now + expected - TimeSpan.FromMilliseconds(1)).ShouldBeNull();
            stream.Due(now + expected).ShouldNotBeNull();
            now += expected;
            expected = TimeSpan.FromTicks(Math.Min(expected.Ticks * 2, TimeSpan.FromMinutes(10).Ticks));
        }
    }

    [Fact]
    public void A_new_link_makes_the_head_due_at_once()
    {
        var stream = new StatusUpdateStream();
        stream.Enqueue(Update(TaskState.TaskRunning));
        stream.MarkSent(s_t0);
        stream.ResendNow();
        stream.Due(s_t0).ShouldNotBeNull();
    }

    [Fact]
    public void Acknowledged_terminal_update_closes_the_stream()
    {
        var stream = new StatusUpdateStream();
        var finished = Update(TaskState.TaskFinished);
        stream.Enqueue(finished);
        stream.Acknowledge(finished.Uuid).ShouldBeTrue();
        stream.IsClosed.ShouldBeTrue();
        stream.Head.ShouldBeNull();
        stream.Acknowledge(finished.Uuid).ShouldBeFalse();
    }
}
