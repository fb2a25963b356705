using Google.Protobuf;
using Mesos.V1;

namespace Cairn.Agent.Status;

/// <summary>
/// The reliable update stream of one task (Mesos' task status update manager): updates queue in order,
/// only the oldest unacknowledged one is in flight, it is resent with exponential backoff (10 s doubling to
/// 10 min) until the framework's acknowledgement for its uuid arrives, and then the next one goes out.
/// Pure state: the agent's loop drives it with the current time.
/// </summary>
public sealed class StatusUpdateStream
{
    /// <summary>First resend interval (Mesos: 10 s).</summary>
    public static readonly TimeSpan MinRetryInterval = TimeSpan.FromSeconds(10);

    /// <summary>Longest resend interval (Mesos: 10 min).</summary>
    public static readonly TimeSpan MaxRetryInterval = TimeSpan.FromMinutes(10);

    private readonly Queue<TaskStatus> _pending = new();
    private TimeSpan _interval = MinRetryInterval;
    private DateTimeOffset? _nextSend;

    /// <summary>The update in flight (oldest unacknowledged), if any.</summary>
    public TaskStatus? Head => _pending.Count > 0 ? _pending.Peek() : null;

    /// <summary>How many updates wait for an acknowledgement (the head included).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>True once a terminal update has been acknowledged: nothing more will ever be sent.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Queues an update; returns true when it became the head and should be sent now.</summary>
    public bool Enqueue(TaskStatus status)
    {
        _pending.Enqueue(status);
        if (_pending.Count == 1)
        {
            _nextSend = null;
            _interval = MinRetryInterval;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Applies an acknowledgement. Returns false for a uuid that is not the head's (duplicate or stale ack).
    /// On success the next update, if any, is due immediately.
    /// </summary>
    public bool Acknowledge(ByteString uuid)
    {
        if (_pending.Count == 0 || _pending.Peek().Uuid != uuid)
        {
            return false;
        }

        var acked = _pending.Dequeue();
        if (TaskStates.IsTerminal(acked.State))
        {
            IsClosed = true;
            _pending.Clear();
        }

        _nextSend = null;
        _interval = MinRetryInterval;
        return true;
    }

    /// <summary>The head when it is due at <paramref name="now"/> (never sent, or its resend time passed).</summary>
    public TaskStatus? Due(DateTimeOffset now) => Head is { } head && (_nextSend is null || now >= _nextSend) ? head : null;

    /// <summary>Records that the head was sent at <paramref name="now"/>: the next resend backs off.</summary>
    public void MarkSent(DateTimeOffset now)
    {
        _nextSend = now + _interval;
        _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, MaxRetryInterval.Ticks));
    }

    /// <summary>Makes the head due now (a new link: the master may not have seen it).</summary>
    public void ResendNow()
    {
        _nextSend = null;
        _interval = MinRetryInterval;
    }
}
