using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// The /api/v2.0.0/ surface (B1–B7). Every answer is HTTP 200 with a status/errno body (B1), so routing is by hand.
internal sealed class SSeriesApi
{
    private const string Prefix = "/api/v2.0.0/";
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    // The CSV column list of cdr/download is UNKNOWN (Part D); the simulator uses the NewCdr field names (B3) as header.
    private static readonly string[] CsvColumns =
        ["callid", "timestart", "callfrom", "callto", "callduraction", "talkduraction", "srctrunkname", "dsttrcunkname", "pincode", "status", "type", "recording", "didnumber", "agentringtime"];

    private readonly PbxSimulatorOptions _options;
    private readonly SSeriesTokenStore _tokens;
    private readonly LoginLockout _lockout;
    private readonly CallEngine _engine;
    private readonly ConcurrentDictionary<string, (string Number, DateTime Start, DateTime End, DateTimeOffset ValidUntil)> _randoms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<HttpContext, JsonElement, SSeriesSession, JsonObject>> _routes;
    private readonly PbxFaults _faults;
    private readonly SSeriesRecordingApi _recordings;

    public SSeriesApi(PbxSimulatorOptions options, SSeriesTokenStore tokens, LoginLockout lockout, CallEngine engine, PbxFaults faults, SSeriesRecordingApi recordings)
    {
        _options = options;
        _tokens = tokens;
        _lockout = lockout;
        _engine = engine;
        _faults = faults;
        _recordings = recordings;
        _routes = new(StringComparer.Ordinal)
        {
            ["heartbeat"] = Heartbeat,
            ["logout"] = Logout,
            ["call/dial"] = Dial,
            ["call/hangup"] = Hangup,
            ["call/query"] = QueryCalls,
            ["extension/list"] = ListExtensions,
            ["cdr/get_random"] = CdrRandom,
            ["recording/get_random"] = recordings.Random,
        };
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var endpoint = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : null;

        // The CSV download is a link (B6), fetched with GET; POST is accepted too.
        if (endpoint == "cdr/download")
        {
            await DownloadCdrAsync(context);
            return;
        }

        // The recording download is a link too (B6).
        if (endpoint == "recording/download")
        {
            await _recordings.DownloadAsync(context, c => AcceptToken(c, out _));
            return;
        }

        if (endpoint is null || (endpoint != "login" && !_routes.ContainsKey(endpoint)))
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.UnsupportedRequest));
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.OnlyPost));
            return;
        }

        // logout (and some clients' heartbeat) may have no body; anything that is there must be a JSON object.
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.OnlyJson));
            return;
        }

        if (endpoint == "login")
        {
            await WriteAsync(context, Login(context, body.Value));
            return;
        }

        var errno = AcceptToken(context, out var session);
        if (errno == 0 && endpoint == "extension/list" && _faults.ExtensionListDelay is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        await WriteAsync(context, errno != 0 ? SSeriesJson.Failed(errno) : _routes[endpoint](context, body.Value, session!));
    }

    // 0 and the extended session, or the B7 errno. Fault switch RejectTokens: a token that is present gets 20006 TOKEN
    // TIMEOUT — of 20004 (no such token) and 20006, the answer a client sees when its token lapsed, like P-Series 10004.
    private int AcceptToken(HttpContext context, out SSeriesSession? session)
    {
        var token = Query(context, "token");
        if (_faults.RejectTokens && !string.IsNullOrEmpty(token))
        {
            session = null;
            return SSeriesErrno.TokenTimeout;
        }

        return _tokens.Touch(token, out session);
    }

    private JsonObject Login(HttpContext context, JsonElement body)
    {
        var ip = ClientIp.Of(context);

        // B2: five failed logins lock the client's IP for ten minutes; while locked even the right password gets 20002.
        if (_lockout.IsLocked(ip))
        {
            return SSeriesJson.Failed(SSeriesErrno.LoginLocked);
        }

        var username = Text(body, "username");
        var password = Text(body, "password");
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        // B2: password = MD5 of the API password as 32 lowercase hex characters.
#pragma warning disable CA5351 // The S-Series login protocol itself prescribes MD5 (B2); nothing here relies on its strength.
        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(_options.ClientSecret)));
#pragma warning restore CA5351

        // Fault switches RejectLogins and RejectTokens refuse even the right password, counted like a wrong one.
        if (_faults.RejectLogins
            || _faults.RejectTokens
            || !string.Equals(username, _options.ClientId, StringComparison.Ordinal)
            || !string.Equals(password, expected, StringComparison.Ordinal))
        {
            _lockout.RecordFailure(ip);
            return SSeriesJson.Failed(SSeriesErrno.LoginInvalid);
        }

        _lockout.RecordSuccess(ip);

        // B2: without "version" events use the 1.0.0 format, which the simulator does not emit (it then pushes nothing).
        var target = EventTarget.From(ip, Text(body, "port"), Text(body, "url"), Text(body, "urltag"));
        var session = _tokens.Issue(ip, target, Text(body, "version") ?? "1.0.0");
        var response = SSeriesJson.Success();
        response["token"] = session.Token;

        // s-login-response.json shows "TCP"; this simulator reports over HTTP, so it says so (B2: presumably "HTTP").
        response["transport"] = "HTTP";
        return response;
    }

    // B2 heartbeat: extends the token (done by Touch) and may move the event target; ipaddr is required, but B3 names
    // the login source IP as where a relative url (urltag "0") goes, so ipaddr is checked for presence only.
    private JsonObject Heartbeat(HttpContext context, JsonElement body, SSeriesSession session)
    {
        if (string.IsNullOrEmpty(Text(body, "ipaddr")))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        if (Text(body, "port") is not null || Text(body, "url") is not null)
        {
            session.Target = EventTarget.From(session.LoginIp, Text(body, "port"), Text(body, "url"), Text(body, "urltag"));
        }

        if (Text(body, "version") is { } version)
        {
            session.Version = version;
        }

        return SSeriesJson.Success();
    }

    private JsonObject Logout(HttpContext context, JsonElement body, SSeriesSession session)
    {
        _tokens.Revoke(session.Token);
        return SSeriesJson.Success();
    }

    // B4 call/dial: caller, callee required; autoanswer yes|no. The caller must be an extension (10006 otherwise).
    private JsonObject Dial(HttpContext context, JsonElement body, SSeriesSession session)
    {
        var caller = Text(body, "caller");
        var callee = Text(body, "callee");
        if (string.IsNullOrEmpty(caller) || string.IsNullOrEmpty(callee))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        var callId = _engine.Dial(caller, callee, string.Equals(Text(body, "autoanswer"), "yes", StringComparison.OrdinalIgnoreCase));
        if (callId is null)
        {
            return SSeriesJson.Failed(SSeriesErrno.ExtensionNotFound);
        }

        var response = SSeriesJson.Success();
        response["callid"] = callId;
        return response;
    }

    private JsonObject Hangup(HttpContext context, JsonElement body, SSeriesSession session)
    {
        var channelId = Text(body, "channelid");
        if (string.IsNullOrEmpty(channelId))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        if (_engine.Hangup(channelId) is not { } callId)
        {
            return SSeriesJson.Failed(SSeriesErrno.CallNotFound);
        }

        var response = SSeriesJson.Success();
        response["callid"] = callId;
        return response;
    }

    // B4 call/query: callid or type (inbound|outbound); an unknown callid is 10005.
    private JsonObject QueryCalls(HttpContext context, JsonElement body, SSeriesSession session)
    {
        var callId = Text(body, "callid");
        var type = Text(body, "type");
        if (string.IsNullOrEmpty(callId) && string.IsNullOrEmpty(type))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        var calls = _engine.Query(string.IsNullOrEmpty(callId) ? null : callId, string.IsNullOrEmpty(callId) ? type : null, null);
        if (!string.IsNullOrEmpty(callId) && calls.Count == 0)
        {
            return SSeriesJson.Failed(SSeriesErrno.CallIdNotFound);
        }

        var response = SSeriesJson.Success();
        response["calls"] = new JsonArray([.. calls.Select(c => (JsonNode)SSeriesJson.ToQueryCall(c))]);
        return response;
    }

    // B5 extension/list: one SIP extension per number, Idle or Busy.
    private JsonObject ListExtensions(HttpContext context, JsonElement body, SSeriesSession session)
    {
        var idle = _engine.IdleExtensions().ToHashSet(StringComparer.Ordinal);
        var response = SSeriesJson.Success();
        response["extlist"] = new JsonArray([.. _options.Extensions.Select(number => (JsonNode)new JsonObject
        {
            ["number"] = number,
            ["status"] = idle.Contains(number) ? "Idle" : "Busy",
            ["type"] = "SIP",
            ["username"] = number,
        })]);
        return response;
    }

    // B6 cdr/get_random: number ("all" | ext | "a,b"), starttime, endtime (PBX-local yyyy-MM-dd HH:mm:ss) → a random
    // valid SSeriesRandomLifetime (real time) for one download. No CDR in the range → 20021 (Derived from B7).
    private JsonObject CdrRandom(HttpContext context, JsonElement body, SSeriesSession session)
    {
        // Injected failure: B7 lists no internal-error errno, so any FAILED answer stands for "try again later".
        if (_faults.TryConsumeCdrSearchFailure())
        {
            return SSeriesJson.Failed(SSeriesErrno.UnsupportedRequest);
        }

        var number = Text(body, "number");
        var startText = Text(body, "starttime");
        var endText = Text(body, "endtime");
        if (string.IsNullOrEmpty(number) || string.IsNullOrEmpty(startText) || string.IsNullOrEmpty(endText))
        {
            return SSeriesJson.Failed(SSeriesErrno.ParameterBlank);
        }

        if (!DateTime.TryParseExact(startText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !DateTime.TryParseExact(endText, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return SSeriesJson.Failed(SSeriesErrno.CdrTimeFormat);
        }

        if (!Matching(number, start, end).Any())
        {
            return SSeriesJson.Failed(SSeriesErrno.CdrNotFound);
        }

        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _randoms[random] = (number, start, end, DateTimeOffset.UtcNow + _options.SSeriesRandomLifetime);
        var response = SSeriesJson.Success();
        response["number"] = number;
        response["starttime"] = startText;
        response["endtime"] = endText;
        response["random"] = random;
        return response;
    }

    // B6 cdr/download?number=&starttime=&endtime=&random=&token= (v2 parameter list UNKNOWN; random + token suffice here).
    private async Task DownloadCdrAsync(HttpContext context)
    {
        var errno = AcceptToken(context, out _);
        if (errno != 0)
        {
            await WriteAsync(context, SSeriesJson.Failed(errno));
            return;
        }

        if (Query(context, "random") is not { } random || !_randoms.TryRemove(random, out var grant) || grant.ValidUntil < DateTimeOffset.UtcNow)
        {
            await WriteAsync(context, SSeriesJson.Failed(SSeriesErrno.InvalidCdrRandom));
            return;
        }

        var csv = new StringBuilder();
        csv.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var cdr in Matching(grant.Number, grant.Start, grant.End))
        {
            string[] values =
            [
                cdr.CallId, cdr.LocalStart.ToString(TimeFormat, CultureInfo.InvariantCulture), cdr.From, cdr.To,
                cdr.CallDuration.ToString(CultureInfo.InvariantCulture), cdr.TalkDuration.ToString(CultureInfo.InvariantCulture),
                cdr.SrcTrunk, cdr.DstTrunk, string.Empty, cdr.Status, cdr.Type, cdr.Recording, string.Empty, "0",
            ];
            csv.Append(string.Join(',', values.Select(CsvField))).Append("\r\n");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=cdr.csv";
        await context.Response.WriteAsync(csv.ToString(), context.RequestAborted);
    }

    private IEnumerable<CdrRecord> Matching(string number, DateTime start, DateTime end)
    {
        var numbers = number.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return _engine.Cdrs.Where(c => c.LocalStart >= start && c.LocalStart <= end
            && (numbers.Contains("all") || numbers.Contains(c.From) || numbers.Contains(c.To)));
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static string? Query(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // An empty body reads as {}; null when the body is not a JSON object.
    private static async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, JsonObject body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(PbxJson.Serialize(body), context.RequestAborted);
    }
}
