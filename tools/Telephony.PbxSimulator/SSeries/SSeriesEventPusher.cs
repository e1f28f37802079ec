using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// Pushes S-Series v2 events as HTTP POSTs to every logged-in client's registered URL (B3): User-Agent: WebAPI, one
// short-lived connection per event, resent until the client answers 200 (Part C.10), at most SSeriesEventMaxAttempts
// times with SSeriesEventRetryDelay (real time) between attempts. Events are delivered one at a time in emit order
// (fault switch DuplicateAndReorderFrames aside). An event that cannot be delivered — Offline, or no token accepted under
// RejectTokens — is dropped rather than kept: the PBX gives up, and a client recovers missed calls from the CDRs.
internal sealed class SSeriesEventPusher : IAsyncDisposable
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SSeriesTokenStore _tokens;
    private readonly PbxSimulatorOptions _options;
    private readonly PbxFaults _faults;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _delivered;
    private long _attempts;

    public SSeriesEventPusher(SSeriesTokenStore tokens, PbxSimulatorOptions options, PbxFaults faults)
    {
        _tokens = tokens;
        _options = options;
        _faults = faults;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    // Events a client acknowledged with 200.
    public long Delivered => Interlocked.Read(ref _delivered);

    // POST attempts made, including failed ones.
    public long Attempts => Interlocked.Read(ref _attempts);

    // Called by the call engine under its lock: translate now (the message may change later), send later.
    public void Publish(int type, JsonObject msg)
    {
        // An event emitted while the PBX cannot reach its client (Offline) or accepts no token (RejectTokens; B3: events
        // are only sent while the token is valid) is never delivered.
        if (_faults.Offline || _faults.RejectTokens)
        {
            return;
        }

        if (SSeriesJson.ToEvent(type, msg, _options.SerialNumber) is { } body)
        {
            _queue.Writer.TryWrite(PbxJson.Serialize(body));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await foreach (var body in FaultyDelivery.ReadAsync(_queue.Reader, _faults, EventKey, stopping))
        {
            await SendAsync(body, stopping);
        }
    }

    private async Task SendAsync(string body, CancellationToken stopping)
    {
        if (CurrentTarget() is { } target)
        {
            await DeliverAsync(target, body, stopping);
        }
    }

    // B3: events go to a client whose token is valid and who asked for the 2.0.0 format (the legacy 1.0.0 shapes are not
    // simulated). The PBX has one API account, so the newest login's address is where reports go; a restarted client
    // that logged in again is not starved by its dead predecessor's address. Null when nothing can be delivered.
    private Uri? CurrentTarget()
    {
        if (_faults.Offline || _faults.RejectTokens)
        {
            return null;
        }

        return _tokens.ValidSessions()
            .Where(s => s.Target is not null && s.Version == "2.0.0")
            .OrderByDescending(s => s.LoginNumber)
            .Select(s => s.Target!.Url)
            .FirstOrDefault();
    }

    // "call:<callid>" or "ext:<number>" for a v2 event body (B3), "other" for the rest.
    private static string EventKey(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.TryGetProperty("callid", out var callId))
        {
            return "call:" + callId.GetString();
        }

        return root.TryGetProperty("extension", out var extension) ? "ext:" + extension.GetString() : "other";
    }

    private async Task DeliverAsync(Uri target, string body, CancellationToken stopping)
    {
        for (var attempt = 1; attempt <= Math.Max(1, _options.SSeriesEventMaxAttempts); attempt++)
        {
            // A PBX that went offline between resends gives up on the event.
            if (_faults.Offline)
            {
                return;
            }

            Interlocked.Increment(ref _attempts);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.UserAgent.ParseAdd("WebAPI");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.ConnectionClose = true;
                using var response = await _http.SendAsync(request, stopping);
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not acknowledged: resend, unless the PBX is shutting down (a listener stopped before it is no error).
                if (stopping.IsCancellationRequested)
                {
                    return;
                }
            }

            await Task.Delay(_options.SSeriesEventRetryDelay, stopping);
        }
    }
}
