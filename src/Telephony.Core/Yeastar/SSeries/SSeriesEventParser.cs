using System.Text.Json;

namespace Telephony.Core.Yeastar.SSeries;

/// <summary>S-Series API v2.0.0 event bodies: flat objects named by <c>event</c> (api.md B3).</summary>
internal static class SSeriesEventParser
{
    public static PbxFrameParseResult Parse(JsonElement frame, JsonElement eventElement, PbxDateFormat? dateFormat)
    {
        if (eventElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(eventElement.GetString()))
        {
            return PbxFrameParseResult.Fail("event must be a non-empty string", null);
        }

        var eventType = eventElement.GetString()!.Trim();
        switch (eventType.ToUpperInvariant())
        {
            case "CALLSTATUS":
                return PbxPayloadReader.CallStatus(frame, CallChangeKind.Status, eventType);
            // The PBX really sends "Tranfer" (S1KV2/event-Transfer.html); accept the correct spelling too.
            case "TRANFER" or "TRANSFER" or "CALLTRANSFER":
                return PbxPayloadReader.CallStatus(frame, CallChangeKind.Transfer, eventType);
            // The page is "CallForward", the example's event value is "Forward" (K2V2/event-CallForward.html).
            case "FORWARD" or "CALLFORWARD":
                return PbxPayloadReader.CallStatus(frame, CallChangeKind.Forward, eventType);
            case "CALLFAILED":
                return PbxPayloadReader.CallFailed(frame, eventType);
            case "NEWCDR":
                return PbxPayloadReader.Cdr(frame, eventType, dateFormat);
            case "SATISFACTION":
                return PbxPayloadReader.Satisfaction(frame, eventType);
            case "EXTENSIONSTATUS":
                return ExtensionStatus(frame, eventType);
            // "Incoming" (SV2/event-Incoming.html): an inbound call arriving, informational; CallStatus carries its state.
            case "INVITE" or "INCOMING" or "DTMF" or "CONFERENCESTATUS" or "QUEUEAUTOPAUSE" or "CONFIGCHANGE":
                return PbxFrameParseResult.Ok(new InformationalPbxEvent(eventType), eventType);
            default:
                return PbxFrameParseResult.Fail($"unknown event type {eventType}", eventType);
        }
    }

    private static PbxFrameParseResult ExtensionStatus(JsonElement frame, string eventType)
    {
        var reader = new PbxFieldReader(frame, eventType);
        var extension = reader.RequiredText("extension");
        var status = reader.RequiredText("status");
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, eventType);
        }

        PbxEvent? pbxEvent = status.ToUpperInvariant() switch
        {
            "RINGING" => new ExtensionCallStatusChanged(extension, ExtensionCallStatus.Ringing),
            "BUSY" or "HOLD" => new ExtensionCallStatusChanged(extension, ExtensionCallStatus.Busy),
            // v2 has no "Idle" event: "Registered" is also sent when a SIP extension goes busy → idle
            // (K2V2/event-ExtensionStatus.html), so a registered extension is an idle one.
            "IDLE" or "REGISTERED" => new ExtensionCallStatusChanged(extension, ExtensionCallStatus.Idle),
            // "Unavailable" (extension/list wording) means the phone is not registered; it cannot take calls.
            "UNREGISTERED" or "UNAVAILABLE" => new ExtensionRegistrationChanged(extension, false),
            _ => null,
        };
        return pbxEvent is null
            ? PbxFrameParseResult.Fail($"{eventType}.status unknown: {status}", eventType)
            : PbxFrameParseResult.Ok(pbxEvent, eventType);
    }
}
