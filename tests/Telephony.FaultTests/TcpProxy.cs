using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Telephony.FaultTests;

/// <summary>
/// A tiny TCP forwarder on 127.0.0.1 with fault switches: refuse new connections (accept and close at once),
/// cut every open connection, and change the target. Stands in for "the process behind it is down".
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (TcpClient Client, TcpClient Upstream)> _pairs = new();
    private readonly Task _acceptLoop;
    private long _nextId;
    private long _refused;
    private volatile bool _refusing;
    private volatile DnsEndPoint _target;

    public TcpProxy(string targetHost, int targetPort)
    {
        _target = new DnsEndPoint(targetHost, targetPort);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int OpenConnections => _pairs.Count;

    /// <summary>Connections refused or reset by the fault switches so far: proof that the fault was felt.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Refuse = new connections are closed immediately; open ones are untouched (use <see cref="CutAll"/>).</summary>
    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    public void Retarget(string host, int port) => _target = new DnsEndPoint(host, port);

    /// <summary>Refuses new connections and resets every open one: the peer is gone.</summary>
    public void GoDown()
    {
        Refusing = true;
        CutAll();
    }

    public void CutAll()
    {
        foreach (var id in _pairs.Keys)
        {
            if (_pairs.TryRemove(id, out var pair))
            {
                Interlocked.Increment(ref _refused);
                Reset(pair.Client);
                Reset(pair.Upstream);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        if (_refusing)
        {
            Interlocked.Increment(ref _refused);
            Reset(client);
            return;
        }

        var upstream = new TcpClient();
        var target = _target;
        try
        {
            await upstream.ConnectAsync(target.Host, target.Port, _stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Reset(client);
            upstream.Dispose();
            return;
        }

        var id = Interlocked.Increment(ref _nextId);
        _pairs[id] = (client, upstream);

        // A fault switched on between the checks above and registration must still apply.
        if (_refusing)
        {
            _pairs.TryRemove(id, out _);
            Reset(client);
            Reset(upstream);
            return;
        }

        try
        {
            var a = PumpAsync(client, upstream);
            var b = PumpAsync(upstream, client);
            await Task.WhenAny(a, b);
        }
        finally
        {
            if (_pairs.TryRemove(id, out _))
            {
                Reset(client);
                Reset(upstream);
            }
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await sink.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
    }
}
