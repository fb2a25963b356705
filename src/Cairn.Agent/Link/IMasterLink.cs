using Cairn.Api.AgentLink;

namespace Cairn.Agent.Link;

/// <summary>What the agent's loop needs from the connection to the master.</summary>
public interface IMasterLink
{
    /// <summary>
    /// Sends a non-REGISTER call on the current link. Failures are values: the agent retries status updates
    /// on its own schedule, and a stale link makes the link re-register.
    /// </summary>
    Task<LinkSendResult> SendAsync(AgentCall call, CancellationToken cancellationToken);
}

/// <summary>Outcome of a call on the link.</summary>
public enum LinkSendResult
{
    /// <summary>The master answered 202.</summary>
    Accepted,

    /// <summary>No link is open right now.</summary>
    NotConnected,

    /// <summary>The master did not recognise the link (400); it is being re-opened.</summary>
    StaleLink,

    /// <summary>Network error or unexpected answer.</summary>
    Failed,
}
