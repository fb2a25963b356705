using System.Threading.Channels;

namespace Cairn.Master.Model;

/// <summary>
/// The outgoing side of one subscription (a framework's event stream or an agent's link): the
/// master's loop writes, the HTTP response drains. Unbounded so that the loop never blocks on a
/// slow client; a client that stops reading is detected by its connection.
/// </summary>
public sealed class EventStream<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public EventStream(string id) => Id = id;

    /// <summary>Mesos-Stream-Id (frameworks) or Cairn-Link-Id (agents).</summary>
    public string Id { get; }

    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>True once the master closed the stream.</summary>
    public bool IsClosed { get; private set; }

    public void Send(T item) => _channel.Writer.TryWrite(item);

    /// <summary>Ends the stream; the HTTP response completes after the queued events.</summary>
    public void Close()
    {
        IsClosed = true;
        _channel.Writer.TryComplete();
    }
}
