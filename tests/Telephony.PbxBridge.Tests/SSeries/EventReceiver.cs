using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.SSeries;

/// <summary>A stand-in S-Series application server: records every event POST (to any path) and refuses the first few with 503.</summary>
internal sealed class EventReceiver : IAsyncDisposable
{
    public const string EventPath = "/report";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedPush> pushes = new();
    private int refuseNext;

    private EventReceiver(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedPush> Pushes => [.. pushes];

    /// <summary>The next <paramref name="count"/> pushes are answered 503 (the PBX must resend them).</summary>
    public void RefuseNext(int count) => Volatile.Write(ref refuseNext, count);

    /// <summary>Listens on <paramref name="address"/> (any loopback address), so a test can tell which address the PBX chose.</summary>
    public static async Task<EventReceiver> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{address}:0");
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/{**path}", receiver.ReceiveAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.BaseUrl = new Uri(app.Urls.First());
        return receiver;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var refused = Interlocked.Decrement(ref refuseNext) >= 0;
        pushes.Enqueue(new ReceivedPush(request.Path, request.Headers.UserAgent.ToString(), request.ContentType, body, refused));
        return refused ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
    }
}

internal sealed record ReceivedPush(string Path, string UserAgent, string? ContentType, string Body, bool Refused);
