using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.SSeries;

/// <summary>A stand-in S-Series application server: records every event POST and refuses the first few with 503.</summary>
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

    public static async Task<EventReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost(EventPath, receiver.ReceiveAsync);
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
        pushes.Enqueue(new ReceivedPush(request.Headers.UserAgent.ToString(), request.ContentType, body, refused));
        return refused ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
    }
}

internal sealed record ReceivedPush(string UserAgent, string? ContentType, string Body, bool Refused);
