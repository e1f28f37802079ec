using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Telephony.FaultTests.Replicas;

/// <summary>
/// A free port for a process that is killed and must listen on it again. Not one the kernel hands out itself (port 0):
/// those come from the ephemeral range, so while the process is down any outgoing connection on the machine may be given
/// the port as its own end, and the restart then fails to bind it ("address already in use"). These come from below
/// that range, where only an explicit bind lands.
/// </summary>
public static class RestartablePort
{
    private static int s_next = Random.Shared.Next(0, 4000);

    public static int Next()
    {
        var (low, _) = EphemeralRange();
        var first = Math.Max(1024, low - 8000);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = first + (Interlocked.Increment(ref s_next) % (low - first));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No free port between {first} and {low}.");
    }

    // Linux's range (net.ipv4.ip_local_port_range); the common default where it cannot be read.
    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999);
        }
    }
}
