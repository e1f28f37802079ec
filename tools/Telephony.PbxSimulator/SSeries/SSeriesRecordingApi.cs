using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Telephony.PbxSimulator.PSeries;
using Telephony.PbxSimulator.Recordings;

namespace Telephony.PbxSimulator.SSeries;

// B6: recording/get_random {recording, allowedip?} → a random valid SSeriesRandomLifetime (30 s) for one download from
// the application server's IP (or allowedip); GET recording/download?recording=&random=&token= sends the audio.
internal sealed class SSeriesRecordingApi(PbxSimulatorOptions options, RecordingStore recordings, RecordingDownloads downloads)
{
    private readonly ConcurrentDictionary<string, (string FileName, string AllowedIp, DateTimeOffset ValidUntil)> _randoms = new(StringComparer.Ordinal);

    // s-recording-get-random-response.json: {status, recording, random}.
    public JsonObject Random(HttpContext context, JsonElement body, SSeriesSession session)
    {
        var fileName = body.TryGetProperty("recording", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrEmpty(fileName))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        if (!recordings.TryGet(fileName, out _))
        {
            return SSeriesJson.Failed(SSeriesErrno.RecordingNotFound);
        }

        // B6: "by default only the application server IP may download": the IP the API client logged in from.
        var allowed = body.TryGetProperty("allowedip", out var ip) && ip.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(ip.GetString())
            ? Normalise(ip.GetString()!)
            : session.LoginIp;

        var now = DateTimeOffset.UtcNow;
        foreach (var expired in _randoms.Where(r => r.Value.ValidUntil <= now).Select(r => r.Key).ToList())
        {
            _randoms.TryRemove(expired, out _);
        }

        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _randoms[random] = (fileName, allowed, now + options.SSeriesRandomLifetime);
        var response = SSeriesJson.Success();
        response["recording"] = fileName;
        response["random"] = random;
        return response;
    }

    // acceptToken is the API's own token check: 0 or the B7 errno.
    public async Task DownloadAsync(HttpContext context, Func<HttpContext, int> acceptToken)
    {
        if (downloads.TryFailInjected(context))
        {
            return;
        }

        var errno = acceptToken(context);
        if (errno != 0)
        {
            await WriteAsync(context, SSeriesJson.Failed(errno));
            return;
        }

        // 20012 for a random that was never issued, is used up, expired, or was issued for another recording.
        var random = context.Request.Query["random"].FirstOrDefault();
        var fileName = context.Request.Query["recording"].FirstOrDefault();
        if (random is null
            || !_randoms.TryGetValue(random, out var grant)
            || grant.ValidUntil <= DateTimeOffset.UtcNow
            || !string.Equals(grant.FileName, fileName, StringComparison.Ordinal))
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.InvalidRecordingRandom));
            return;
        }

        // A download from another address does not use the random up: the right client may still fetch it.
        if (!string.Equals(ClientIp.Of(context), grant.AllowedIp, StringComparison.Ordinal))
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.AllowedIpError));
            return;
        }

        if (!recordings.TryGet(grant.FileName, out var recording))
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.RecordingNotFound));
            return;
        }

        // RecordingDownloadsOneAtATime: B7 has no "busy" errno; 20010 (request to apisrv failed) is the closest
        // server-side refusal. The random stays valid for a retry.
        if (!downloads.TryBegin())
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.ApiServerFailed));
            return;
        }

        if (!_randoms.TryRemove(random, out _))
        {
            downloads.End();
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.InvalidRecordingRandom));
            return;
        }

        await downloads.SendAsync(context, recording);
    }

    private static string Normalise(string ip) => IPAddress.TryParse(ip.Trim(), out var address)
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : ip.Trim();

    private static async Task WriteAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(PbxJson.Serialize(body), context.RequestAborted);
    }
}
