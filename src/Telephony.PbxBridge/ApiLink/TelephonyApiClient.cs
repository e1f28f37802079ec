using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.PbxBridge.ApiLink;

/// <summary>
/// The bridge's one client of Telephony.Api (design.md §6), a typed client registered once by
/// <see cref="ApiLinkServiceCollectionExtensions.AddTelephonyApiClient"/>; the bearer key is set on its HttpClient.
/// </summary>
internal sealed partial class TelephonyApiClient(HttpClient http, IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "TelephonyApi";

    /// <summary>The long-poll client: no resilience handler, whose 10 s attempt timeout would cut every 25 s wait short.</summary>
    public const string LongPollClientName = "TelephonyApiCommands";

    /// <summary>Recording uploads: no resilience handler (its attempt timeout is for small JSON calls, and a body read
    /// from a file is not replayed by it); the archiver retries them itself.</summary>
    public const string TransferClientName = "TelephonyApiRecordings";

    public static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Longer than the API's wait, so an empty poll ends with 204 rather than a client timeout.</summary>
    public static readonly TimeSpan LongPollTimeout = TimeSpan.FromSeconds(40);

    /// <summary>Posts a batch; returns the seqs the API durably accepted (only those may leave the queue).</summary>
    public async Task<IReadOnlySet<long>> PostEventsAsync(
        string pbxId, string bridgeId, IReadOnlyList<ForwardedFrame> frames, CancellationToken cancellationToken)
    {
        // A batch's trace starts here; the API continues it (traceparent) through the journal and the grains to the push.
        using var activity = BridgeTelemetry.Source.StartActivity("forward events", ActivityKind.Producer);
        activity?.SetTag("telephony.pbx", pbxId);
        activity?.SetTag("telephony.frames", frames.Count);
        using var content = new ByteArrayContent(WriteEventsBody(bridgeId, frames));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/events", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync(ApiJson.Default.EventsResponse, cancellationToken);
        return body?.Accepted is { } accepted ? accepted.ToHashSet() : [];
    }

    public async Task PostLinkAsync(string pbxId, string bridgeId, PbxLinkSnapshot link, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/link", UriKind.Relative),
            new LinkRequest(bridgeId, link.Connected, link.Reason),
            ApiJson.Default.LinkRequest,
            cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Long-polls for call-control commands (design.md §1); empty on 204 (none within the wait).</summary>
    public async Task<IReadOnlyList<PbxCommand>> PollCommandsAsync(string pbxId, int waitSeconds, CancellationToken cancellationToken)
    {
        using var response = await httpClientFactory.CreateClient(LongPollClientName).GetAsync(
            new Uri(string.Create(CultureInfo.InvariantCulture, $"api/pbx/{Uri.EscapeDataString(pbxId)}/commands?wait={waitSeconds}"), UriKind.Relative),
            cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        return await response.Content.ReadFromJsonAsync(ApiJson.Default.PbxCommandArray, cancellationToken) ?? [];
    }

    /// <summary>Posts what the PBX answered; false when the API no longer knows the command (404: unknown or already answered).</summary>
    public async Task<bool> PostCommandResultAsync(string pbxId, Guid commandId, PbxCommandResult result, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/commands/{commandId:D}/result", UriKind.Relative), result, ResultJson.Default.PbxCommandResult, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>The PBX's recordings the API still wants, oldest first.</summary>
    public async Task<IReadOnlyList<PendingRecording>> ListPendingRecordingsAsync(string pbxId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/recordings/pending", UriKind.Relative), ApiJson.Default.PendingRecordingArray, cancellationToken) ?? [];

    /// <summary>Uploads a recording file; throws when the API could not take it now (the archiver keeps the file and retries).</summary>
    public async Task<RecordingUploadOutcome> UploadRecordingAsync(string pbxId, Guid callId, string path, string contentType, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Headers.ContentLength = file.Length;
        using var response = await httpClientFactory.CreateClient(TransferClientName).PutAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/recordings/{callId:D}", UriKind.Relative), content, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return RecordingUploadOutcome.NotWanted;
        }

        response.EnsureSuccessStatusCode();
        return RecordingUploadOutcome.Archived;
    }

    /// <summary>The PBX has no such recording (its own words in <paramref name="reason"/>).</summary>
    public async Task MarkRecordingMissingAsync(string pbxId, Guid callId, string reason, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/recordings/{callId:D}/missing", UriKind.Relative), new MissingRecordingRequest(reason), ApiJson.Default.MissingRecordingRequest, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task PutExtensionsAsync(string pbxId, IReadOnlyList<ExtensionSyncItem> extensions, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/extensions", UriKind.Relative), new ExtensionSyncRequest(extensions), ApiJson.Default.ExtensionSyncRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task PutActiveCallsAsync(string pbxId, IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync(
            new Uri($"api/pbx/{Uri.EscapeDataString(pbxId)}/active-calls", UriKind.Relative), new ActiveCallsSnapshot(callIds), ApiJson.Default.ActiveCallsSnapshot, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Writes the batch by hand so each frame goes out byte for byte as the PBX sent it (raw JSON), or as a JSON
    /// string when the PBX sent something that is not JSON; a serializer round trip would reformat it.
    /// </summary>
    internal static byte[] WriteEventsBody(string bridgeId, IReadOnlyList<ForwardedFrame> frames)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (frames.Count * 512));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("bridgeId", bridgeId);
            writer.WriteStartArray("events");
            foreach (var frame in frames)
            {
                writer.WriteStartObject();
                writer.WriteNumber("seq", frame.Seq);
                writer.WriteString("receivedAt", frame.ReceivedAt.UtcDateTime);
                writer.WriteString("source", frame.Source);
                writer.WritePropertyName("frame");
                if (frame.IsJson)
                {
                    writer.WriteRawValue(frame.Frame, skipInputValidation: true);
                }
                else
                {
                    writer.WriteStringValue(frame.Frame);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record ExtensionSyncRequest(IReadOnlyList<ExtensionSyncItem> Extensions);

    private sealed record EventsResponse(long[]? Accepted);

    private sealed record MissingRecordingRequest(string Reason);

    private sealed record LinkRequest(string BridgeId, bool Connected, string? Reason);

    // Source-generated serialization with web defaults: no reflection, so the bridge compiles ahead of time.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(EventsResponse))]
    [JsonSerializable(typeof(LinkRequest))]
    [JsonSerializable(typeof(PbxCommand[]))]
    [JsonSerializable(typeof(ExtensionSyncRequest))]
    [JsonSerializable(typeof(ActiveCallsSnapshot))]
    [JsonSerializable(typeof(PendingRecording[]))]
    [JsonSerializable(typeof(MissingRecordingRequest))]
    private sealed partial class ApiJson : JsonSerializerContext
    {
    }

    // The API rejects unknown fields on a result; a failed command carries no callId at all.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(PbxCommandResult))]
    private sealed partial class ResultJson : JsonSerializerContext
    {
    }
}
