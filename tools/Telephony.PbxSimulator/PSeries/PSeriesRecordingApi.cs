using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.Recordings;

namespace Telephony.PbxSimulator.PSeries;

// A11.4: recording/download?file= hands out a download_resource_url valid RecordingUrlLifetime (30 min, simulated);
// GET {base}{download_resource_url}?access_token= sends the audio.
internal sealed class PSeriesRecordingApi
{
    public const string ResourcePrefix = "/api/download/";

    private const string UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly PbxSimulatorOptions _options;
    private readonly SimClock _clock;
    private readonly RecordingStore _recordings;
    private readonly RecordingDownloads _downloads;
    private readonly TimeZoneInfo _zone;
    private readonly ConcurrentDictionary<string, (string FileName, DateTimeOffset ValidUntil)> _links = new(StringComparer.Ordinal);
    private long _linkSequence;

    public PSeriesRecordingApi(PbxSimulatorOptions options, SimClock clock, RecordingStore recordings, RecordingDownloads downloads)
    {
        _options = options;
        _clock = clock;
        _recordings = recordings;
        _downloads = downloads;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
    }

    public static bool IsResource(string path) => path.StartsWith(ResourcePrefix, StringComparison.Ordinal);

    // GET recording/download. The doc allows ?id= instead of ?file=, but recording ids come from a recording list the
    // simulator does not serve, so only file is supported (an id alone is answered like a missing file).
    public Task<JsonObject> LinkAsync(HttpContext context)
    {
        var fileName = context.Request.Query["file"].FirstOrDefault();
        if (string.IsNullOrEmpty(fileName))
        {
            return Task.FromResult(PbxJson.ParameterRequired("file"));
        }

        // A3.1 has no recording-specific code; 60001 DATA NOT FOUND is the documented one for something that is not there.
        if (!_recordings.TryGet(fileName, out _))
        {
            return Task.FromResult(PbxJson.Error(60001, "DATA NOT FOUND"));
        }

        var now = _clock.UtcNow;
        foreach (var expired in _links.Where(l => l.Value.ValidUntil <= now).Select(l => l.Key).ToList())
        {
            _links.TryRemove(expired, out _);
        }

        // p-recording-download-response.json: "/api/download/Recording-X.7.0.6-1-download-20220412175901-M8zB66xYUNTNMr2D.wav".
        // What "X.7.0.6" stands for is unknown, so it is kept as is; the counter stands for the "1", the time is
        // PBX-local, and the tail is unguessable, as the URL is the only thing (besides the token) guarding the file.
        var tail = RandomNumberGenerator.GetString(UrlAlphabet, 16);
        var local = TimeZoneInfo.ConvertTime(now, _zone);
        var path = string.Create(
            CultureInfo.InvariantCulture, $"{ResourcePrefix}Recording-X.7.0.6-{Interlocked.Increment(ref _linkSequence)}-download-{local:yyyyMMddHHmmss}-{tail}.wav");
        _links[path] = (fileName, now + _options.RecordingUrlLifetime);

        var response = PbxJson.Success();
        response["file"] = fileName;
        response["download_resource_url"] = path;
        return Task.FromResult(response);
    }

    // GET {download_resource_url}?access_token=. isAcceptedToken is the Open API's own check. A1's User-Agent rule is
    // not applied: this is a file link, not an Open API endpoint.
    public async Task ServeAsync(HttpContext context, Func<string?, bool> isAcceptedToken)
    {
        if (_downloads.TryFailInjected(context))
        {
            return;
        }

        if (!isAcceptedToken(context.Request.Query["access_token"].FirstOrDefault()))
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, PbxJson.TokenExpired());
            return;
        }

        // The docs name no error for an expired link. A link that is gone (expired, never issued, or its recording
        // deleted) is answered like a missing file on a web server: HTTP 404, with the Open API's 60001 DATA NOT
        // FOUND as body so a client reading either sees why.
        var path = context.Request.Path.Value ?? string.Empty;
        if (!_links.TryGetValue(path, out var link) || link.ValidUntil <= _clock.UtcNow || !_recordings.TryGet(link.FileName, out var recording))
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, PbxJson.Error(60001, "DATA NOT FOUND"));
            return;
        }

        // A4's mp3 rule under RecordingDownloadsOneAtATime: 70082 OVERLOAD_TASK_RUNNING is the documented code whose
        // name fits "another one is running"; HTTP 200 as every Open API error (A3).
        if (!_downloads.TryBegin())
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, PbxJson.Error(70082, "OVERLOAD_TASK_RUNNING"));
            return;
        }

        await _downloads.SendAsync(context, recording);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(PbxJson.Serialize(body), context.RequestAborted);
    }
}
