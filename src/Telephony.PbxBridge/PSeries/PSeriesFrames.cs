using System.Text.Json;

namespace Telephony.PbxBridge.PSeries;

/// <summary>The call id and CDR time of P-Series 30011/30012 frames, whose msg is a JSON-encoded string or an object (A5).</summary>
internal static class PSeriesFrames
{
    /// <summary>Reads the call id of a 30011/30012 frame.</summary>
    public static bool TryReadCallId(JsonElement frame, out string callId)
    {
        callId = "";
        if (!frame.TryGetProperty("msg", out var msg))
        {
            return false;
        }

        try
        {
            if (msg.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(msg.GetString() ?? "");
                return JsonFields.TryReadString(inner.RootElement, "call_id", out callId);
            }

            return JsonFields.TryReadString(msg, "call_id", out callId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads time_start from a 30012 frame.</summary>
    public static bool TryReadTimeStart(JsonElement frame, out string timeStart)
    {
        timeStart = "";
        if (!frame.TryGetProperty("msg", out var msg))
        {
            return false;
        }

        if (msg.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(msg.GetString() ?? "");
                return TryReadTimeStartFromMsg(inner.RootElement, out timeStart);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return TryReadTimeStartFromMsg(msg, out timeStart);
    }

    private static bool TryReadTimeStartFromMsg(JsonElement msg, out string timeStart)
    {
        timeStart = "";
        if (msg.ValueKind == JsonValueKind.Object && msg.TryGetProperty("time_start", out var value) && value.ValueKind == JsonValueKind.String)
        {
            timeStart = value.GetString() ?? "";
            return timeStart.Length > 0;
        }

        return false;
    }
}
