using System.Runtime.InteropServices;

namespace Cairn.Cli;

/// <summary>
/// SIGTERM and SIGINT as a cancellation token, for the daemon commands. Their actions are synchronous:
/// System.CommandLine delays async actions on SIGTERM, and a daemon must start its clean shutdown at once.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;

    public ShutdownSignals()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled by the first SIGTERM or SIGINT.</summary>
    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command stops cleanly on its own.
        context.Cancel = true;
        _cts.Cancel();
    }

    /// <summary>Blocks until a signal arrives or <paramref name="other"/> completes.</summary>
    public void Wait(Task? other = null)
    {
        var signalled = Task.Delay(Timeout.Infinite, _cts.Token);
        try
        {
            Task.WaitAny(other is null ? [signalled] : [signalled, other]);
        }
        catch (AggregateException)
        {
        }
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
        _cts.Dispose();
    }
}
