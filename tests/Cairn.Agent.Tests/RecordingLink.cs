using System.Collections.Concurrent;
using Cairn.Agent.Link;
using Cairn.Api.AgentLink;

namespace Cairn.Agent.Tests;

/// <summary>An <see cref="IMasterLink"/> that records what the agent sends (the agent's unit tests play the master).</summary>
internal sealed class RecordingLink : IMasterLink
{
    public ConcurrentQueue<AgentCall> Sent { get; } = new();

    public Task<LinkSendResult> SendAsync(AgentCall call, CancellationToken cancellationToken)
    {
        Sent.Enqueue(call.Clone());
        return Task.FromResult(LinkSendResult.Accepted);
    }
}
