using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>
/// Stands in for Telephony.Api's bridge endpoints: records accepted frames and link reports, checks the bearer key,
/// and can answer 503 to simulate an outage. The real end-to-end test uses the real API.
/// </summary>
internal sealed class FakeTelephonyApi : IAsyncDisposable
{
    public const string BridgeKey = "bridge-key-Zq7TUVwx0123456789";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedFrame> frames = new();
    private readonly ConcurrentQueue<LinkReport> links = new();
    private int rejectedBatches;

    private FakeTelephonyApi(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>While set, POST events answers 503 and accepts nothing.</summary>
    public bool Unavailable { get; set; }

    public IReadOnlyList<ReceivedFrame> Frames => [.. frames];

    public IReadOnlyList<LinkReport> Links => [.. links];

    public int RejectedBatches => Volatile.Read(ref rejectedBatches);

    public static async Task<FakeTelephonyApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTelephonyApi(app);
        app.MapPost("/api/pbx/{pbxId}/events", fake.ReceiveEventsAsync);
        app.MapPost("/api/pbx/{pbxId}/link", fake.ReceiveLinkAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        fake.BaseUrl = new Uri(app.Urls.First());
        return fake;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task<IResult> ReceiveEventsAsync(string pbxId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        if (Unavailable)
        {
            Interlocked.Increment(ref rejectedBatches);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        using var body = await JsonDocument.ParseAsync(request.Body);
        var bridgeId = body.RootElement.GetProperty("bridgeId").GetString()!;
        var accepted = new List<long>();
        foreach (var item in body.RootElement.GetProperty("events").EnumerateArray())
        {
            var seq = item.GetProperty("seq").GetInt64();
            var frame = item.GetProperty("frame");
            frames.Enqueue(new ReceivedFrame(
                pbxId,
                bridgeId,
                seq,
                item.GetProperty("receivedAt").GetDateTimeOffset(),
                item.GetProperty("source").GetString()!,
                frame.ValueKind,
                frame.GetRawText()));
            accepted.Add(seq);
        }

        return Results.Json(new { accepted });
    }

    private async Task<IResult> ReceiveLinkAsync(string pbxId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        using var body = await JsonDocument.ParseAsync(request.Body);
        var root = body.RootElement;
        links.Enqueue(new LinkReport(
            pbxId,
            root.GetProperty("bridgeId").GetString()!,
            root.GetProperty("connected").GetBoolean(),
            root.GetProperty("reason").ValueKind == JsonValueKind.String ? root.GetProperty("reason").GetString() : null));
        return Results.Ok();
    }

    private static bool IsAuthorized(HttpRequest request) =>
        string.Equals(request.Headers.Authorization.ToString(), $"Bearer {BridgeKey}", StringComparison.Ordinal);
}
