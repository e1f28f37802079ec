using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Telephony.PbxSimulator.Engine;

namespace Telephony.PbxSimulator.PSeries;

// The /openapi/v1.0/ surface (A1–A3, A5, A9–A11). Every answer is HTTP 200 with an errcode body (A3 [FIELD]),
// so routing is done by hand rather than with endpoint routing, which would answer 404/405.
internal sealed class PbxApi
{
    private const string Prefix = "/openapi/v1.0/";
    private const int MaxPageSize = 10_000;

    private readonly PbxSimulatorOptions _options;
    private readonly CdrDisplayFormat _display;
    private readonly SimClock _clock;
    private readonly TokenStore _tokens;
    private readonly LoginLockout _lockout;
    private readonly EventHub _hub;
    private readonly CallEngine _engine;
    private readonly PbxFaults _faults;
    private readonly PSeriesRecordingApi _recordings;
    private readonly CancellationToken _stopping;
    private readonly Dictionary<string, Func<HttpContext, Task<JsonObject>>> _routes;

    public PbxApi(
        PbxSimulatorOptions options,
        SimClock clock,
        TokenStore tokens,
        LoginLockout lockout,
        EventHub hub,
        CallEngine engine,
        PbxFaults faults,
        PSeriesRecordingApi recordings,
        CancellationToken stopping)
    {
        _options = options;
        _display = new CdrDisplayFormat(options);
        _clock = clock;
        _tokens = tokens;
        _lockout = lockout;
        _hub = hub;
        _engine = engine;
        _faults = faults;
        _recordings = recordings;
        _stopping = stopping;
        _routes = new Dictionary<string, Func<HttpContext, Task<JsonObject>>>(StringComparer.Ordinal)
        {
            ["POST get_token"] = GetTokenAsync,
            ["POST refresh_token"] = RefreshTokenAsync,
            ["GET del_token"] = DeleteToken,
            ["POST call/dial"] = DialAsync,
            ["POST call/hangup"] = HangupAsync,
            ["GET call/query"] = QueryCalls,
            ["GET extension/list"] = ListExtensions,
            ["GET cdr/search"] = SearchCdr,
            ["GET recording/download"] = recordings.LinkAsync,
        };
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var endpoint = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : null;
        var method = context.Request.Method.ToUpperInvariant();

        // A4: an IP blocked after repeated failed logins gets 70004 on every request, the WebSocket upgrade included,
        // until it is removed by hand (PbxFaults.UnblockAllIps).
        if (_lockout.IsLocked(ClientIp.Of(context)))
        {
            await WriteAsync(context, PbxJson.Error(70004, "ACCOUNT IP BLOCKED"));
            return;
        }

        // A11.4 step 2: the download_resource_url lives outside /openapi/v1.0/.
        if (method == "GET" && PSeriesRecordingApi.IsResource(path))
        {
            await _recordings.ServeAsync(context, IsAcceptedAccessToken);
            return;
        }

        // A5 lists only the access token for the WebSocket handshake, so User-Agent is not demanded there.
        if (string.Equals(endpoint, "subscribe", StringComparison.Ordinal) && context.WebSockets.IsWebSocketRequest)
        {
            await SubscribeAsync(context);
            return;
        }

        // A1: User-Agent is required on every request; [FIELD] a missing one gives 40002 PARAMETER ERROR.
        if (string.IsNullOrWhiteSpace(context.Request.Headers.UserAgent))
        {
            await WriteAsync(context, PbxJson.ParameterError());
            return;
        }

        // A3.1: 10001 for a wrong path or a wrong method.
        if (endpoint is null || !_routes.TryGetValue($"{method} {endpoint}", out var handler))
        {
            await WriteAsync(context, PbxJson.InterfaceNotExisted());
            return;
        }

        // A1: every call except get_token and refresh_token carries ?access_token=; invalid or expired → 10004.
        if (endpoint is not ("get_token" or "refresh_token") && !IsAcceptedAccessToken(Query(context, "access_token")))
        {
            await WriteAsync(context, PbxJson.TokenExpired());
            return;
        }

        await WriteAsync(context, await handler(context));
    }

    private async Task SubscribeAsync(HttpContext context)
    {
        // A5: a valid access token is required to establish the connection; refuse the upgrade otherwise.
        if (!IsAcceptedAccessToken(Query(context, "access_token")))
        {
            await WriteAsync(context, PbxJson.TokenExpired());
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new WebSocketSession(socket, _clock, _options, _faults);
        _hub.Add(session);

        // Offline may have been switched on (dropping every registered socket) while this upgrade was under way.
        if (_faults.Offline)
        {
            session.Abort();
        }

        try
        {
            await session.RunAsync(_stopping);
        }
        finally
        {
            _hub.Remove(session);
        }
    }

    private async Task<JsonObject> GetTokenAsync(HttpContext context)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return PbxJson.Error(40001, "PARAMETER SYNTAX ERROR");
        }

        var username = Text(body, "username");
        var password = Text(body, "password");
        if (username is null)
        {
            return PbxJson.ParameterRequired("username");
        }

        if (password is null)
        {
            return PbxJson.ParameterRequired("password");
        }

        // A4: every auth failure, the fault switches' included, counts toward the client IP's block.
        var ip = ClientIp.Of(context);
        if (_faults.RejectLogins
            || _faults.RejectTokens
            || !string.Equals(username, _options.ClientId, StringComparison.Ordinal)
            || !string.Equals(password, _options.ClientSecret, StringComparison.Ordinal))
        {
            _lockout.RecordFailure(ip);
            return PbxJson.AuthFailure();
        }

        _lockout.RecordSuccess(ip);

        // A2: at most 8 valid access tokens; the error for exceeding it is not documented, 60002 MAX LIMITATION
        // EXCEEDED is the documented code whose meaning fits.
        return TokenResponse(_tokens.Issue()) ?? PbxJson.Error(60002, "MAX LIMITATION EXCEEDED");
    }

    // Fault switch RejectTokens: no token is accepted while it is set.
    private bool IsAcceptedAccessToken(string? token) => !_faults.RejectTokens && _tokens.IsValidAccessToken(token);

    private async Task<JsonObject> RefreshTokenAsync(HttpContext context)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return PbxJson.Error(40001, "PARAMETER SYNTAX ERROR");
        }

        var refreshToken = Text(body, "refresh_token");
        if (refreshToken is null)
        {
            return PbxJson.ParameterRequired("refresh_token");
        }

        if (_faults.RejectTokens)
        {
            return PbxJson.TokenExpired();
        }

        var result = _tokens.Refresh(refreshToken);
        if (result.IsLimitReached)
        {
            return PbxJson.Error(60002, "MAX LIMITATION EXCEEDED");
        }

        // An unknown or expired refresh token has no documented error; 10004 TOKEN EXPIRED is the closest documented one.
        return TokenResponse(result.Tokens) ?? PbxJson.TokenExpired();
    }

    private Task<JsonObject> DeleteToken(HttpContext context)
    {
        _tokens.Revoke(Query(context, "access_token")!);
        return Task.FromResult(PbxJson.Success());
    }

    private async Task<JsonObject> DialAsync(HttpContext context)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return PbxJson.Error(40001, "PARAMETER SYNTAX ERROR");
        }

        var caller = Text(body, "caller");
        var callee = Text(body, "callee");
        var autoAnswer = Text(body, "auto_answer") ?? "no";
        if (string.IsNullOrEmpty(caller))
        {
            return PbxJson.ParameterRequired("caller");
        }

        if (string.IsNullOrEmpty(callee))
        {
            return PbxJson.ParameterRequired("callee");
        }

        if (autoAnswer is not ("yes" or "no"))
        {
            return PbxJson.ParameterInvalid("auto_answer", autoAnswer);
        }

        // The simulator only models extension callers. A9 [FIELD] says a non-extension caller "silently does nothing";
        // a documented 40002 naming the parameter is more useful to a client under test than silence.
        var callId = _engine.Dial(caller, callee, autoAnswer == "yes");
        if (callId is null)
        {
            return PbxJson.ParameterInvalid("caller", caller);
        }

        var response = PbxJson.Success();
        response["call_id"] = callId;
        return response;
    }

    private async Task<JsonObject> HangupAsync(HttpContext context)
    {
        if (await ReadBodyAsync(context) is not { } body)
        {
            return PbxJson.Error(40001, "PARAMETER SYNTAX ERROR");
        }

        // channel_id is optional only for paging calls (paging_number), which the simulator does not model.
        var channelId = Text(body, "channel_id");
        if (string.IsNullOrEmpty(channelId))
        {
            return PbxJson.ParameterRequired("channel_id");
        }

        var callId = _engine.Hangup(channelId);
        if (callId is null)
        {
            return PbxJson.Error(70130, "CAHNNEL ID NOT FOUND");
        }

        var response = PbxJson.Success();
        response["call_id"] = callId;
        return response;
    }

    private Task<JsonObject> QueryCalls(HttpContext context)
    {
        var callId = Query(context, "call_id");
        var type = Query(context, "type");
        var extension = Query(context, "extension");

        // A9: exactly one of call_id | type | extension.
        var given = new[] { callId, type, extension }.Count(v => v is not null);
        if (given != 1)
        {
            return Task.FromResult(PbxJson.ParameterError());
        }

        if (type is not null && type is not ("inbound" or "outbound" or "internal"))
        {
            return Task.FromResult(PbxJson.ParameterInvalid("type", type));
        }

        // With no matching call the answer is errcode 0 and an empty data array ([FIELD] reports a non-zero code
        // without naming it, so the simulator does not guess one).
        var response = PbxJson.Success();
        response["data"] = new JsonArray([.. _engine.Query(callId, type, extension)]);
        return Task.FromResult(response);
    }

    private async Task<JsonObject> ListExtensions(HttpContext context)
    {
        if (!TryPaging(context, out var page, out var pageSize, out var error))
        {
            return error;
        }

        if (_faults.ExtensionListDelay is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var rows = _options.Extensions
            .Select((number, index) => ExtensionRow(index + 1, number))
            .Skip((page - 1) * pageSize)
            .Take(pageSize);

        var response = PbxJson.Success();
        response["total_number"] = _options.Extensions.Count;
        response["data"] = new JsonArray([.. rows]);
        return response;
    }

    private Task<JsonObject> SearchCdr(HttpContext context)
    {
        // Fault switch: a PBX that is briefly unwell answers the generic errcode -2 (A3).
        if (_faults.TryConsumeCdrSearchFailure())
        {
            return Task.FromResult(PbxJson.Error(-2, "INTERNAL SERVER ERROR"));
        }

        if (!TryPaging(context, out var page, out var pageSize, out var error))
        {
            return Task.FromResult(error);
        }

        if (!TryCdrTime(context, "start_time", out var start, out error) || !TryCdrTime(context, "end_time", out var end, out error))
        {
            return Task.FromResult(error);
        }

        var status = Query(context, "status");
        var callFrom = Query(context, "call_from");
        var callTo = Query(context, "call_to");
        var matches = _engine.Cdrs
            .Where(c => start is null || c.StartedAt >= start)
            .Where(c => end is null || c.StartedAt <= end)
            .Where(c => status is null || string.Equals(c.Status, status, StringComparison.Ordinal))
            .Where(c => callFrom is null || string.Equals(c.From, callFrom, StringComparison.Ordinal))
            .Where(c => callTo is null || string.Equals(c.To, callTo, StringComparison.Ordinal))
            .ToList();

        var response = PbxJson.Success();
        response["total_number"] = matches.Count;
        response["data"] = new JsonArray([.. matches.Skip((page - 1) * pageSize).Take(pageSize).Select(c => (JsonNode)c.ToSearchRow(DisplayName, _display))]);
        return Task.FromResult(response);
    }

    // Ext_Basicinfo exactly as p-extension-list-response.json (A10): one registered SIP phone per extension.
    private static JsonObject ExtensionRow(int id, string number) => new()
    {
        ["id"] = id,
        ["online_status"] = new JsonObject
        {
            ["sip_phone"] = new JsonObject { ["status"] = 1, ["ext_dev_type"] = "sip" },
            ["linkus_desktop"] = new JsonObject { ["status"] = 0 },
            ["linkus_mobile"] = new JsonObject { ["status"] = 0 },
            ["linkus_web"] = new JsonObject { ["status"] = 0 },
        },
        ["presence_status"] = "available",
        ["custom_presence_status"] = string.Empty,
        ["number"] = number,
        ["caller_id_name"] = CallerIdName(number),
        ["role_name"] = "Employee",
        ["email_addr"] = string.Empty,
        ["mobile_number"] = string.Empty,
    };

    private static string CallerIdName(string number) => $"Extension {number}";

    // cdr/search parties are "Name<number>"; external numbers carry the number as name (fixture "0745150974<0745150974>").
    private string DisplayName(string number) => _engine.IsExtension(number) ? CallerIdName(number) : number;

    private JsonObject? TokenResponse(TokenPair? tokens)
    {
        if (tokens is null)
        {
            return null;
        }

        // Lifetimes are reported in real seconds so a client refreshing on access_token_expire_time keeps up when
        // TimeScale shortens them; at TimeScale 1 this is the documented 1800 / 86400.
        var response = PbxJson.Success();
        response["access_token_expire_time"] = RealSeconds(_options.AccessTokenLifetime);
        response["access_token"] = tokens.AccessToken;
        response["refresh_token_expire_time"] = RealSeconds(_options.RefreshTokenLifetime);
        response["refresh_token"] = tokens.RefreshToken;
        return response;
    }

    private long RealSeconds(TimeSpan simulated) => Math.Max(1, (long)_clock.ToReal(simulated).TotalSeconds);

    private static bool TryPaging(HttpContext context, out int page, out int pageSize, out JsonObject error)
    {
        page = 1;
        pageSize = MaxPageSize;
        error = PbxJson.Success();
        var pageText = Query(context, "page");
        var sizeText = Query(context, "page_size");
        if (pageText is not null && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            error = PbxJson.ParameterInvalid("page", pageText);
            return false;
        }

        // A4: page_size max 10 000, default 10 000.
        if (sizeText is not null
            && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxPageSize))
        {
            error = PbxJson.ParameterInvalid("page_size", sizeText);
            return false;
        }

        return true;
    }

    // A11.2: start_time/end_time are a Unix timestamp or a date-time in the PBX display format (as the time field);
    // "yyyy-MM-dd HH:mm:ss" (the 30012 time_start format) is accepted too. Date-times are PBX-local in TimeZone.
    private bool TryCdrTime(HttpContext context, string name, out DateTimeOffset? value, out JsonObject error)
    {
        value = null;
        error = PbxJson.Success();
        var text = Query(context, name);
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            value = DateTimeOffset.FromUnixTimeSeconds(unix);
            return true;
        }

        if (_display.TryParse(text, out var local))
        {
            value = _engine.FromLocal(local);
            return true;
        }

        error = PbxJson.ParameterInvalid(name, text);
        return false;
    }

    private static string? Query(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
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
        context.Response.ContentType = "application/json";

        // A1: the PBX closes the TCP connection after every response.
        context.Response.Headers.Connection = "close";
        await context.Response.WriteAsync(PbxJson.Serialize(body), context.RequestAborted);
    }
}
