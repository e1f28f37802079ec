using System.Globalization;
using System.Text.Json;
using Telephony.Core.Yeastar.PSeries;
using Telephony.Core.Yeastar.SSeries;

namespace Telephony.Core.Yeastar;

/// <summary>Parses any frame the PBX sends (P-Series WebSocket/webhook, S-Series HTTP push) into a <see cref="PbxEvent"/>; never throws.</summary>
public static class PbxFrameParser
{
    private const string HeartbeatResponse = "heartbeat response";

    /// <summary>The bridge's <c>source</c> for rows it fetched from <c>cdr/search</c> after a gap.</summary>
    public const string CdrBackfillSource = "cdr-backfill";

    /// <summary>
    /// Parses a frame as the bridge delivered it: a <c>cdr-backfill</c> frame is a CDR search row, anything else an event
    /// frame. <paramref name="dateFormat"/> is the PBX's date display setting, for CDR times that follow it (unset: none).
    /// </summary>
    public static PbxFrameParseResult Parse(string frame, string? source, PbxDateFormat? dateFormat = null)
    {
        if (!string.Equals(source, CdrBackfillSource, StringComparison.Ordinal))
        {
            return ParseText(frame, dateFormat);
        }

        try
        {
            using var document = JsonDocument.Parse(frame);
            return Parse(document.RootElement, source, dateFormat);
        }
        catch (JsonException ex)
        {
            return PbxFrameParseResult.Fail($"malformed JSON: {ex.Message}", null);
        }
    }

    /// <summary>Parses a JSON frame as the bridge delivered it, already read as JSON (see the text overload).</summary>
    public static PbxFrameParseResult Parse(JsonElement frame, string? source, PbxDateFormat? dateFormat) =>
        string.Equals(source, CdrBackfillSource, StringComparison.Ordinal)
            ? ParseCdrSearchRow(frame, dateFormat)
            : Parse(frame, dateFormat);

    /// <summary>Parses one frame as text: a JSON event, a subscribe reply or the bare <c>heartbeat response</c>.</summary>
    public static PbxFrameParseResult Parse(string frame) => ParseText(frame, null);

    /// <summary>Parses one frame already read as JSON.</summary>
    public static PbxFrameParseResult Parse(JsonElement frame, PbxDateFormat? dateFormat = null)
    {
        try
        {
            return ParseFrame(frame, dateFormat);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException
            or OverflowException or ArgumentException or ObjectDisposedException)
        {
            return PbxFrameParseResult.Fail($"unreadable frame: {ex.Message}", null);
        }
    }

    /// <summary>Parses one row of a P-Series <c>cdr/list</c> or <c>cdr/search</c> response (used to backfill missed CDRs).</summary>
    public static PbxFrameParseResult ParseCdrSearchRow(JsonElement row, PbxDateFormat? dateFormat = null)
    {
        try
        {
            return PSeriesCdrRowReader.Read(row, dateFormat);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException
            or OverflowException or ArgumentException or ObjectDisposedException)
        {
            return PbxFrameParseResult.Fail($"unreadable CDR row: {ex.Message}", PSeriesCdrRowReader.EventType);
        }
    }

    private static PbxFrameParseResult ParseText(string frame, PbxDateFormat? dateFormat)
    {
        var text = frame?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return PbxFrameParseResult.Fail("empty frame", null);
        }

        // The P-Series heartbeat reply is bare text, not JSON (api.md A5).
        if (text.Equals(HeartbeatResponse, StringComparison.OrdinalIgnoreCase))
        {
            return PbxFrameParseResult.Ok(new InformationalPbxEvent(HeartbeatResponse), HeartbeatResponse);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return Parse(document.RootElement, dateFormat);
        }
        catch (JsonException ex)
        {
            return PbxFrameParseResult.Fail($"malformed JSON: {ex.Message}", null);
        }
    }

    private static PbxFrameParseResult ParseFrame(JsonElement frame, PbxDateFormat? dateFormat)
    {
        if (frame.ValueKind == JsonValueKind.String
            && string.Equals(frame.GetString()?.Trim(), HeartbeatResponse, StringComparison.OrdinalIgnoreCase))
        {
            return PbxFrameParseResult.Ok(new InformationalPbxEvent(HeartbeatResponse), HeartbeatResponse);
        }

        if (frame.ValueKind != JsonValueKind.Object)
        {
            return PbxFrameParseResult.Fail($"frame must be a JSON object, not {frame.ValueKind}", null);
        }

        // "event" and "action" before "type": S-Series NewCdr bodies of both versions also carry a "type"
        // (Inbound/Outbound/Internal, api.md B3).
        if (frame.TryGetProperty("event", out var name))
        {
            return SSeriesEventParser.Parse(frame, name, dateFormat);
        }

        if (frame.TryGetProperty("action", out _))
        {
            // S-Series 1.0.0 events use "action"; the bridge logs in with version 2.0.0 (api.md B2, B3).
            return PbxFrameParseResult.Fail("S-Series 1.0.0 event format is not supported; log in with version 2.0.0", null);
        }

        if (frame.TryGetProperty("type", out var type))
        {
            return PSeriesEventParser.Parse(frame, type, dateFormat);
        }

        if (frame.TryGetProperty("errcode", out var errcode))
        {
            return ErrorCodeReply(frame, errcode);
        }

        return PbxFrameParseResult.Fail("not a Yeastar event frame", null);
    }

    // The WebSocket answers a topic_list with {"errcode":0,"errmsg":"SUCCESS"} (api.md A5); a non-zero
    // errcode on the socket (e.g. 10004 TOKEN EXPIRED) is a problem, not an event.
    private static PbxFrameParseResult ErrorCodeReply(JsonElement frame, JsonElement errcode)
    {
        const string EventType = "errcode";
        if (errcode.ValueKind != JsonValueKind.Number || !errcode.TryGetInt64(out var code))
        {
            return PbxFrameParseResult.Fail("errcode must be an integer", EventType);
        }

        if (code == 0)
        {
            return PbxFrameParseResult.Ok(new InformationalPbxEvent("subscribe reply"), EventType);
        }

        var message = frame.TryGetProperty("errmsg", out var errmsg) && errmsg.ValueKind == JsonValueKind.String
            ? errmsg.GetString()
            : null;
        return PbxFrameParseResult.Fail(
            $"PBX error {code.ToString(CultureInfo.InvariantCulture)} {message}".TrimEnd(), EventType);
    }
}
