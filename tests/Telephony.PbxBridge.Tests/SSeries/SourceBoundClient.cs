using System.Net;
using System.Net.Sockets;

namespace Telephony.PbxBridge.Tests.SSeries;

/// <summary>
/// An HttpClient whose connections leave from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo), so a
/// test can push from "the PBX" and from "another device" with real TCP peers.
/// </summary>
internal static class SourceBoundClient
{
    public static HttpClient From(IPAddress source) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
