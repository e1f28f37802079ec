using System.Globalization;
using System.Text.Json;

namespace Telephony.Core.Yeastar.PSeries;

/// <summary>P-Series Open API event frames <c>{type, sn?, msg}</c> (api.md A5, A7).</summary>
internal static class PSeriesEventParser
{
    public static PbxFrameParseResult Parse(JsonElement frame, JsonElement typeElement, PbxDateFormat? dateFormat)
    {
        int type;
        if (typeElement.ValueKind == JsonValueKind.Number && typeElement.TryGetInt32(out var number))
        {
            type = number;
        }
        else if (typeElement.ValueKind == JsonValueKind.String
            && int.TryParse(typeElement.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            type = parsed;
        }
        else
        {
            return PbxFrameParseResult.Fail("type must be an integer event id", null);
        }

        var eventType = type.ToString(CultureInfo.InvariantCulture);
        if (!IsKnown(type))
        {
            return PbxFrameParseResult.Fail($"unknown event type {eventType}", eventType);
        }

        if (!frame.TryGetProperty("msg", out var msg))
        {
            return PbxFrameParseResult.Fail($"{eventType}: missing msg", eventType);
        }

        switch (msg.ValueKind)
        {
            case JsonValueKind.Object:
                // 30025, 30026, 30029, 30034–30036 carry msg as an object (api.md A5).
                return ParseBody(type, eventType, msg, dateFormat);
            case JsonValueKind.String:
                // Most events carry msg as a JSON-encoded string: decode it a second time (api.md A5, client rule).
                JsonDocument inner;
                try
                {
                    inner = JsonDocument.Parse(msg.GetString() ?? "");
                }
                catch (JsonException)
                {
                    return PbxFrameParseResult.Fail($"{eventType}: msg is not valid JSON", eventType);
                }

                using (inner)
                {
                    return inner.RootElement.ValueKind == JsonValueKind.Object
                        ? ParseBody(type, eventType, inner.RootElement, dateFormat)
                        : PbxFrameParseResult.Fail($"{eventType}: msg is not a JSON object", eventType);
                }

            default:
                return PbxFrameParseResult.Fail($"{eventType}: msg must be a string or an object", eventType);
        }
    }

    // Documented ids 30005–30036; 30021 is absent from the PBX's own webhook_event_ids list (api.md A7).
    private static bool IsKnown(int type) => type is >= 30005 and <= 30036 and not 30021;

    private static PbxFrameParseResult ParseBody(int type, string eventType, JsonElement body, PbxDateFormat? dateFormat)
    {
        switch (type)
        {
            case 30011:
                return PbxPayloadReader.CallStatus(body, CallChangeKind.Status, eventType);
            case 30012:
                return PbxPayloadReader.Cdr(body, eventType, dateFormat);
            case 30013:
                return PbxPayloadReader.CallStatus(body, CallChangeKind.Transfer, eventType);
            case 30014:
                return PbxPayloadReader.CallStatus(body, CallChangeKind.Forward, eventType);
            case 30015:
                return PbxPayloadReader.CallFailed(body, eventType);
            case 30019:
                return PbxPayloadReader.Satisfaction(body, eventType);
            case 30007:
            {
                var reader = new PbxFieldReader(body, eventType);
                var extension = reader.RequiredText("extension");
                var status = reader.RequiredText("status");
                if (reader.Error is not null)
                {
                    return PbxFrameParseResult.Fail(reader.Error, eventType);
                }

                return status.ToUpperInvariant() switch
                {
                    "REGISTERED" => PbxFrameParseResult.Ok(new ExtensionRegistrationChanged(extension, true), eventType),
                    "UNREGISTERED" => PbxFrameParseResult.Ok(new ExtensionRegistrationChanged(extension, false), eventType),
                    _ => PbxFrameParseResult.Fail($"{eventType}.status unknown: {status}", eventType),
                };
            }

            case 30008:
            {
                var reader = new PbxFieldReader(body, eventType);
                var extension = reader.RequiredText("extension");
                var status = reader.RequiredText("status");
                if (reader.Error is not null)
                {
                    return PbxFrameParseResult.Fail(reader.Error, eventType);
                }

                ExtensionCallStatus? callStatus = status.ToUpperInvariant() switch
                {
                    "IDLE" => ExtensionCallStatus.Idle,
                    "RINGING" => ExtensionCallStatus.Ringing,
                    "BUSY" => ExtensionCallStatus.Busy,
                    _ => null,
                };
                return callStatus is null
                    ? PbxFrameParseResult.Fail($"{eventType}.status unknown: {status}", eventType)
                    : PbxFrameParseResult.Ok(new ExtensionCallStatusChanged(extension, callStatus.Value), eventType);
            }

            case 30009:
            {
                var reader = new PbxFieldReader(body, eventType);
                var extension = reader.RequiredText("extension");
                var presence = reader.RequiredText("status");
                return reader.Error is null
                    ? PbxFrameParseResult.Ok(new ExtensionPresenceChanged(extension, presence), eventType)
                    : PbxFrameParseResult.Fail(reader.Error, eventType);
            }

            case 30022:
            {
                var reader = new PbxFieldReader(body, eventType);
                var extension = reader.RequiredText("ext_number");
                var option = reader.RequiredText("option");
                return reader.Error is null
                    ? PbxFrameParseResult.Ok(new ExtensionConfigurationChanged(extension, option), eventType)
                    : PbxFrameParseResult.Fail(reader.Error, eventType);
            }

            default:
                return PbxFrameParseResult.Ok(new InformationalPbxEvent(eventType), eventType);
        }
    }
}
