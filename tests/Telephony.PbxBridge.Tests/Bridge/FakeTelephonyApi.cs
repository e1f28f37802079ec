using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>
/// Stands in for Telephony.Api's bridge endpoints: records accepted frames and link reports, hands out the commands
/// a test queues (long poll), records command results and extension syncs, checks the bearer key, and can answer
/// 503 to simulate an outage. The real end-to-end test uses the real API.
/// </summary>
internal sealed class FakeTelephonyApi : IAsyncDisposable
{
    public const string BridgeKey = "bridge-key-Zq7TUVwx0123456789";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedFrame> frames = new();
    private readonly ConcurrentQueue<LinkReport> links = new();
    private readonly Channel<string> commands = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<CommandResult> results = new();
    private readonly ConcurrentQueue<IReadOnlyList<SyncedExtension>> extensionSyncs = new();
    private readonly ConcurrentDictionary<Guid, (string PbxCallId, string File)> pendingRecordings = new();
    private readonly ConcurrentDictionary<Guid, UploadedRecording> uploadedRecordings = new();
    private readonly ConcurrentDictionary<Guid, string> missingRecordings = new();
    private int rejectedBatches;
    private int commandPolls;
    private int rejectedUploads;

    private FakeTelephonyApi(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>While set, POST events answers 503 and accepts nothing.</summary>
    public bool Unavailable { get; set; }

    public IReadOnlyList<ReceivedFrame> Frames => [.. frames];

    public IReadOnlyList<LinkReport> Links => [.. links];

    public int RejectedBatches => Volatile.Read(ref rejectedBatches);

    /// <summary>While set, the command poll answers 503.</summary>
    public bool CommandsUnavailable { get; set; }

    public IReadOnlyList<CommandResult> CommandResults => [.. results];

    public IReadOnlyList<IReadOnlyList<SyncedExtension>> ExtensionSyncs => [.. extensionSyncs];

    /// <summary>Polls answered so far (with commands, 204 or 503).</summary>
    public int CommandPolls => Volatile.Read(ref commandPolls);

    /// <summary>Commands queued but not yet handed to the bridge.</summary>
    public int PendingCommands => commands.Reader.Count;

    /// <summary>While set, recording uploads answer 503 (the bridge must keep the file and try again).</summary>
    public bool RecordingsUnavailable { get; set; }

    /// <summary>Uploads refused while <see cref="RecordingsUnavailable"/> was set.</summary>
    public int RejectedUploads => Volatile.Read(ref rejectedUploads);

    public IReadOnlyDictionary<Guid, UploadedRecording> UploadedRecordings => uploadedRecordings;

    /// <summary>Recordings the bridge reported the PBX does not have, with the PBX's words.</summary>
    public IReadOnlyDictionary<Guid, string> MissingRecordings => missingRecordings;

    /// <summary>As the API does once a CDR naming a recording is logged: the bridge is to archive it.</summary>
    public Guid AddPendingRecording(string pbxCallId, string file)
    {
        var callId = Guid.CreateVersion7();
        pendingRecordings[callId] = (pbxCallId, file);
        return callId;
    }

    public Guid EnqueueDial(string caller, string callee, bool autoAnswer = true, Guid? id = null)
    {
        var commandId = id ?? Guid.CreateVersion7();
        EnqueueCommand(new { id = commandId, kind = "dial", caller, callee, autoAnswer, pbxCallId = (string?)null, extension = (string?)null, createdAt = DateTimeOffset.UtcNow });
        return commandId;
    }

    public Guid EnqueueHangup(string pbxCallId, string? extension)
    {
        var commandId = Guid.CreateVersion7();
        EnqueueCommand(new { id = commandId, kind = "hangup", caller = (string?)null, callee = (string?)null, autoAnswer = false, pbxCallId, extension, createdAt = DateTimeOffset.UtcNow });
        return commandId;
    }

    public static async Task<FakeTelephonyApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTelephonyApi(app);
        app.MapPost("/api/pbx/{pbxId}/events", fake.ReceiveEventsAsync);
        app.MapPost("/api/pbx/{pbxId}/link", fake.ReceiveLinkAsync);
        app.MapGet("/api/pbx/{pbxId}/commands", fake.PollCommandsAsync);
        app.MapPost("/api/pbx/{pbxId}/commands/{commandId:guid}/result", fake.ReceiveResultAsync);
        app.MapPut("/api/pbx/{pbxId}/extensions", fake.ReceiveExtensionsAsync);
        app.MapGet("/api/pbx/{pbxId}/recordings/pending", fake.ListPendingRecordings);
        app.MapPut("/api/pbx/{pbxId}/recordings/{callId:guid}", fake.ReceiveRecordingAsync);
        app.MapPost("/api/pbx/{pbxId}/recordings/{callId:guid}/missing", fake.ReceiveMissingRecordingAsync);
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

    private IResult ListPendingRecordings(HttpRequest request) =>
        IsAuthorized(request)
            ? Results.Json(pendingRecordings.Select(p => new { callId = p.Key, pbxCallId = p.Value.PbxCallId, file = p.Value.File, callStartedAt = (DateTimeOffset?)null }).ToArray())
            : Results.Unauthorized();

    private async Task<IResult> ReceiveRecordingAsync(Guid callId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        if (RecordingsUnavailable)
        {
            Interlocked.Increment(ref rejectedUploads);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (!pendingRecordings.TryRemove(callId, out _))
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        uploadedRecordings[callId] = new UploadedRecording(request.ContentType ?? "", body.ToArray());
        return Results.NoContent();
    }

    private async Task<IResult> ReceiveMissingRecordingAsync(Guid callId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        using var body = await JsonDocument.ParseAsync(request.Body);
        pendingRecordings.TryRemove(callId, out _);
        missingRecordings[callId] = body.RootElement.GetProperty("reason").GetString()!;
        return Results.NoContent();
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

    private void EnqueueCommand(object command) => commands.Writer.TryWrite(JsonSerializer.Serialize(command, Json));

    // Like the API: waits up to ?wait= seconds for a command, then 204; 200 with every queued command.
    private async Task<IResult> PollCommandsAsync(string pbxId, int? wait, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        Interlocked.Increment(ref commandPolls);
        if (CommandsUnavailable)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Clamp(wait ?? 25, 0, 55)));
        try
        {
            await commands.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        var batch = new List<string>();
        while (commands.Reader.TryRead(out var command))
        {
            batch.Add(command);
        }

        return batch.Count == 0
            ? Results.NoContent()
            : Results.Text($"[{string.Join(',', batch)}]", "application/json");
    }

    private async Task<IResult> ReceiveResultAsync(string pbxId, Guid commandId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        using var body = await JsonDocument.ParseAsync(request.Body);
        var root = body.RootElement;
        results.Enqueue(new CommandResult(
            commandId,
            root.GetProperty("errcode").GetInt32(),
            root.GetProperty("errmsg").GetString()!,
            root.TryGetProperty("callId", out var callId) && callId.ValueKind == JsonValueKind.String ? callId.GetString() : null,
            [.. root.EnumerateObject().Select(p => p.Name)]));
        return Results.NoContent();
    }

    private async Task<IResult> ReceiveExtensionsAsync(string pbxId, HttpRequest request)
    {
        if (!IsAuthorized(request))
        {
            return Results.Unauthorized();
        }

        using var body = await JsonDocument.ParseAsync(request.Body);
        extensionSyncs.Enqueue([.. body.RootElement.GetProperty("extensions").EnumerateArray().Select(e => new SyncedExtension(
            e.GetProperty("number").GetString()!,
            e.GetProperty("name").GetString(),
            e.GetProperty("registered").GetBoolean(),
            e.GetProperty("presence").GetString()))]);
        return Results.NoContent();
    }

    private static bool IsAuthorized(HttpRequest request) =>
        string.Equals(request.Headers.Authorization.ToString(), $"Bearer {BridgeKey}", StringComparison.Ordinal);
}
