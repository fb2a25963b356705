using System.Net;
using System.Net.Sockets;

namespace Cairn.IntegrationTests.Infrastructure;

/// <summary>Loopback ports for processes that must be told their port in advance.</summary>
public static class FreePort
{
    private static int s_next = 20000 + (Environment.ProcessId % 200) * 100;

    /// <summary>
    /// A port that was free a moment ago. Ports are handed out from a per-test-run range and probed,
    /// so two tests of one run never get the same port.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var candidate = Interlocked.Increment(ref s_next);
            if (candidate > 60000)
            {
                Interlocked.Exchange(ref s_next, 20000);
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, candidate);
                listener.Start();
                return candidate;
            }
            catch (SocketException)
            {
                // in use: try the next one
            }
        }
    }
}
