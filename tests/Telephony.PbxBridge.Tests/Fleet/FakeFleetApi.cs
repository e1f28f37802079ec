using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>
/// Stands in for the API's fleet endpoints (listing, lease acquire/renew/release) and the bridge endpoints a fleet unit
/// calls, recording every request with the lease headers it carried; switches make it refuse renewals or events with
/// 409 as the real API does when the lease is not the caller's. The real API is used by the fault suite's fleet tests.
/// </summary>
internal sealed class FakeFleetApi : IAsyncDisposable
{
    public const string FleetKey = "fleet-key-Zq7TUVwx0123456789";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, object> _listing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string? Holder, long Epoch, DateTimeOffset ExpiresAt)> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FleetRequest> _requests = new();
    private long _epochs;

    private FakeFleetApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>While set, a renewal (an acquire naming an epoch) is answered 409, as when another bridge took the PBX.</summary>
    public bool RefuseRenewals { get; set; }

    /// <summary>While set, an events post is answered 409, as the journal append does for a lease that is not the caller's.</summary>
    public bool RefuseEvents { get; set; }

    public IReadOnlyList<FleetRequest> Requests => [.. _requests];

    public static async Task<FakeFleetApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeFleetApi(app);
        app.MapGet("/api/fleet/pbxes", fake.ListAsync);
        app.MapPost("/api/fleet/tenants/{tenantId}/pbxes/{pbxId}/lease", fake.AcquireAsync);
        app.MapDelete("/api/fleet/tenants/{tenantId}/pbxes/{pbxId}/lease", fake.Release);
        app.Map("/api/pbx/{pbxId}/{**rest}", fake.BridgeEndpointAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        fake.BaseUrl = new Uri(app.Urls.First());
        return fake;
    }

    /// <summary>Lists a P-Series PBX served over HTTPS at 127.0.0.1:<paramref name="port"/> with a pinned certificate.</summary>
    public void AddPbx(string tenantId, string pbxId, int port, string fingerprint, string clientId, string clientSecret) =>
        _listing[$"{tenantId}/{pbxId}"] = new
        {
            tenantId,
            pbxId,
            kind = "p-series",
            host = "127.0.0.1",
            port,
            apiVersion = "v1.0",
            clientId,
            clientSecret,
            tlsFingerprint = fingerprint,
            timeZone = "Europe/Moscow",
        };

    public void RemovePbx(string tenantId, string pbxId) => _listing.TryRemove($"{tenantId}/{pbxId}", out _);

    public bool LeaseHeldBy(string tenantId, string pbxId, string holder) =>
        _leases.TryGetValue($"{tenantId}/{pbxId}", out var lease) && lease.Holder == holder && lease.ExpiresAt > DateTimeOffset.UtcNow;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult ListAsync(HttpRequest request)
    {
        Record(request, "list");
        var items = _listing.Select(entry =>
        {
            var element = JsonSerializer.SerializeToNode(entry.Value, Json)!.AsObject();
            if (_leases.TryGetValue(entry.Key, out var lease))
            {
                element["lease"] = JsonSerializer.SerializeToNode(
                    new { tenantId = element["tenantId"]!.GetValue<string>(), pbxId = element["pbxId"]!.GetValue<string>(), holder = lease.Holder, epoch = lease.Epoch, expiresAt = lease.ExpiresAt },
                    Json);
            }

            return element;
        });
        return Results.Json(items.ToList(), Json);
    }

    private async Task<IResult> AcquireAsync(string tenantId, string pbxId, HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var bridgeId = body.RootElement.GetProperty("bridgeId").GetString()!;
        long? epoch = body.RootElement.TryGetProperty("epoch", out var e) ? e.GetInt64() : null;
        var ttl = TimeSpan.FromSeconds(body.RootElement.GetProperty("ttlSeconds").GetInt32());
        Record(request, epoch is null ? "acquire" : "renew", epoch);
        var key = $"{tenantId}/{pbxId}";
        var now = DateTimeOffset.UtcNow;
        _leases.TryGetValue(key, out var current);
        var free = current.Holder is null || current.ExpiresAt <= now;
        var renewal = epoch is not null && current.Holder == bridgeId && current.Epoch == epoch && current.ExpiresAt > now;
        if ((epoch is not null && RefuseRenewals) || (!free && !renewal))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "leased by another bridge");
        }

        var granted = renewal ? current.Epoch : Interlocked.Increment(ref _epochs);
        _leases[key] = (bridgeId, granted, now + ttl);
        return Results.Json(new { tenantId, pbxId, holder = bridgeId, epoch = granted, expiresAt = now + ttl }, Json);
    }

    private IResult Release(string tenantId, string pbxId, string bridgeId, long epoch, HttpRequest request)
    {
        Record(request, "release", epoch);
        var key = $"{tenantId}/{pbxId}";
        if (!_leases.TryGetValue(key, out var current) || current.Holder != bridgeId || current.Epoch != epoch)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict);
        }

        _leases[key] = (null, epoch, DateTimeOffset.UtcNow);
        return Results.NoContent();
    }

    // Every bridge endpoint: events accepted (or 409), commands long-polled briefly, the rest answered 204.
    private async Task<IResult> BridgeEndpointAsync(string pbxId, string rest, HttpRequest request)
    {
        var kind = $"{request.Method} {rest}";
        if (rest == "events")
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var seqs = body.RootElement.GetProperty("events").EnumerateArray().Select(x => x.GetProperty("seq").GetInt64()).ToList();
            var refuse = RefuseEvents;
            Record(request, kind, frames: body.RootElement.GetProperty("events").GetRawText(), refused: refuse);
            return refuse
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "lease not held")
                : Results.Json(new { accepted = seqs }, Json);
        }

        Record(request, kind);
        if (rest == "recordings/pending")
        {
            return Results.Json(Array.Empty<object>(), Json);
        }

        if (rest == "commands")
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return Results.NoContent();
    }

    private void Record(HttpRequest request, string kind, long? epoch = null, string? frames = null, bool refused = false) =>
        _requests.Enqueue(new FleetRequest(
            DateTimeOffset.UtcNow,
            kind,
            request.Headers.Authorization.ToString(),
            request.Headers["X-Telephony-Tenant"].ToString(),
            request.Headers["X-Telephony-Bridge-Id"].ToString(),
            long.TryParse(request.Headers["X-Telephony-Lease-Epoch"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var header) ? header : epoch,
            frames,
            refused));
}
