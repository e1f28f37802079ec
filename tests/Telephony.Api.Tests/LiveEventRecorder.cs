using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Telephony.Api.Tests;

/// <summary>Records the hub's pushes in arrival order, so tests await an event instead of sleeping.</summary>
public sealed class LiveEventRecorder : IAsyncDisposable
{
    public static readonly string[] EventNames =
    [
        "yeastar:connected", "yeastar:disconnected", "call:new", "call:ringing", "call:answered", "call:ended", "call:updated", "extension:status",
    ];

    private readonly HubConnection _connection;
    private readonly Channel<LiveEvent> _events = Channel.CreateUnbounded<LiveEvent>();
    private readonly List<LiveEvent> _seen = [];

    public LiveEventRecorder(HubConnection connection)
    {
        _connection = connection;
        foreach (var name in EventNames)
        {
            connection.On<JsonElement>(name, payload => _events.Writer.TryWrite(new LiveEvent(name, payload)));
        }
    }

    public IReadOnlyList<LiveEvent> Seen => _seen;

    /// <summary>Waits for the first event (from now on, or already seen) that matches.</summary>
    public async Task<LiveEvent> WaitForAsync(Func<LiveEvent, bool> match, TimeSpan? timeout = null)
    {
        if (_seen.FirstOrDefault(match) is { } already)
        {
            return already;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var next = await _events.Reader.ReadAsync(cts.Token);
                _seen.Add(next);
                if (match(next))
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching live event; seen: {string.Join(", ", _seen.Select(e => e.Name))}");
        }
    }

    /// <summary>Takes whatever has arrived so far without waiting.</summary>
    public IReadOnlyList<LiveEvent> Drain()
    {
        while (_events.Reader.TryRead(out var next))
        {
            _seen.Add(next);
        }

        return _seen;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
