using System.Text.Json;

namespace Telephony.Core.Yeastar;

/// <summary>
/// Builds the call events shared by both PBX families from an event body; field names are accepted in both
/// spellings (P <c>call_id</c>/<c>channel_id</c>, S <c>callid</c>/<c>channelid</c>, api.md B8).
/// </summary>
internal static class PbxPayloadReader
{
    public static PbxFrameParseResult CallStatus(JsonElement body, CallChangeKind kind, string eventType)
    {
        var reader = new PbxFieldReader(body, eventType);
        var callId = reader.RequiredText("call_id", "callid");
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, eventType);
        }

        var members = Members(body, eventType, out var error);
        return members is null
            ? PbxFrameParseResult.Fail(error ?? "invalid members", eventType)
            : PbxFrameParseResult.Ok(new CallStatusChanged(callId, kind, members), eventType);
    }

    public static PbxFrameParseResult CallFailed(JsonElement body, string eventType)
    {
        var reader = new PbxFieldReader(body, eventType);
        var callId = reader.RequiredText("call_id", "callid");
        var reason = reader.OptionalString("reason") ?? "";
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, eventType);
        }

        var members = Members(body, eventType, out var error);
        return members is null
            ? PbxFrameParseResult.Fail(error ?? "invalid members", eventType)
            : PbxFrameParseResult.Ok(new CallFailed(callId, reason.Trim(), members), eventType);
    }

    public static PbxFrameParseResult Cdr(JsonElement body, string eventType, PbxDateFormat? dateFormat)
    {
        var reader = new PbxFieldReader(body, eventType);
        var callId = reader.RequiredText("call_id", "callid");
        var timeText = reader.RequiredText("time_start", "timestart");
        var from = reader.RequiredString("call_from", "callfrom").Trim();
        var to = reader.RequiredString("call_to", "callto").Trim();
        // S-Series spells these "callduraction", "talkduraction" and "dsttrcunkname" (api.md B3).
        var callSeconds = reader.RequiredSeconds("call_duration", "callduraction", "callduration");
        var talkSeconds = reader.RequiredSeconds("talk_duration", "talkduraction", "talkduration");
        var statusText = reader.RequiredText("status");
        var typeText = reader.RequiredText("type");
        var sourceTrunk = reader.OptionalText("src_trunk_name", "srctrunkname");
        var destinationTrunk = reader.OptionalText("dst_trunk_name", "dsttrcunkname", "dsttrunkname");
        var recording = reader.OptionalText("recording");
        var did = reader.OptionalText("did_number", "didnumber");
        var uid = reader.OptionalText("uid");
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, eventType);
        }

        // Documented as "YYYY-MM-DD HH:mm:ss" (api.md A8.2, B3); any other order is read as the PBX is set to show dates.
        if (!PbxDisplayTime.TryRead(timeText, dateFormat, out var timeStart, out var problem))
        {
            return PbxFrameParseResult.Fail($"{eventType}.time_start {problem}: {timeText}", eventType);
        }

        var fields = new CdrFields(callId, PbxTime.AtLocal(timeStart), from, to, callSeconds, talkSeconds, statusText, typeText)
        {
            SourceTrunk = sourceTrunk,
            DestinationTrunk = destinationTrunk,
            Recording = recording,
            DidNumber = did,
            Uid = uid,
        };
        return Cdr(fields, eventType);
    }

    /// <summary>Checks the values shared by 30012, NewCdr and cdr/search rows and builds the record.</summary>
    public static PbxFrameParseResult Cdr(CdrFields fields, string eventType)
    {
        if (fields.TimeStart.Year is < 2000 or > 2200)
        {
            return PbxFrameParseResult.Fail($"{eventType}.time_start out of range: {fields.TimeStart}", eventType);
        }

        var disposition = Disposition(fields.Status);
        if (disposition is null)
        {
            return PbxFrameParseResult.Fail($"{eventType}.status unknown: {fields.Status}", eventType);
        }

        var callType = CallType(fields.Type);
        if (callType is null)
        {
            return PbxFrameParseResult.Fail($"{eventType}.type unknown: {fields.Type}", eventType);
        }

        var record = new CallDetailRecord(
            fields.CallId,
            fields.TimeStart,
            fields.From,
            fields.To,
            fields.CallSeconds,
            fields.TalkSeconds,
            disposition.Value,
            callType.Value,
            fields.SourceTrunk,
            fields.DestinationTrunk,
            fields.Recording,
            fields.DidNumber,
            fields.Uid);
        return PbxFrameParseResult.Ok(record, eventType);
    }

    public static PbxFrameParseResult Satisfaction(JsonElement body, string eventType)
    {
        var reader = new PbxFieldReader(body, eventType);
        var callId = reader.RequiredText("call_id", "callid");
        var result = reader.RequiredText("survey_result", "surveyresult");
        return reader.Error is null
            ? PbxFrameParseResult.Ok(new SatisfactionSurveyed(callId, result), eventType)
            : PbxFrameParseResult.Fail(reader.Error, eventType);
    }

    private static CdrDisposition? Disposition(string status) => status.ToUpperInvariant() switch
    {
        // "ANSWERD" and "NO ANSWERED" are spellings from the Yeastar docs (api.md A8.2, B3).
        "ANSWERED" or "ANSWERD" => CdrDisposition.Answered,
        "NO ANSWER" or "NO ANSWERED" or "NOANSWER" => CdrDisposition.NoAnswer,
        "BUSY" => CdrDisposition.Busy,
        "FAILED" => CdrDisposition.Failed,
        "VOICEMAIL" => CdrDisposition.Voicemail,
        _ => null,
    };

    // The doc table says lowercase, the examples and live frames are capitalised (api.md A8.2).
    private static CdrCallType? CallType(string type) => type.ToUpperInvariant() switch
    {
        "INBOUND" => CdrCallType.Inbound,
        "OUTBOUND" => CdrCallType.Outbound,
        "INTERNAL" => CdrCallType.Internal,
        _ => null,
    };

    private static List<PbxCallMember>? Members(JsonElement body, string eventType, out string? error)
    {
        error = null;

        // Live PBXs send "members": null on some failures ({"reason":"NOT found","members":null}); absent or null is
        // no members, which the lifecycle reads as "nothing known about the legs", never as "every leg has gone".
        if (!body.TryGetProperty("members", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            error = $"{eventType}.members must be an array";
            return null;
        }

        var members = new List<PbxCallMember>(array.GetArrayLength());
        foreach (var wrapper in array.EnumerateArray())
        {
            if (wrapper.ValueKind != JsonValueKind.Object)
            {
                error = $"{eventType}.members[] must hold objects";
                return null;
            }

            // Each member is a single-key wrapper; the key is the leg type (api.md A8.1; S-Series uses "ext").
            foreach (var property in wrapper.EnumerateObject())
            {
                PbxMemberKind? kind = property.Name switch
                {
                    "extension" or "ext" => PbxMemberKind.Extension,
                    "inbound" => PbxMemberKind.Inbound,
                    "outbound" => PbxMemberKind.Outbound,
                    _ => null,
                };
                if (kind is null)
                {
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    error = $"{eventType}.members[].{property.Name} must be an object";
                    return null;
                }

                var member = Member(property.Value, kind.Value, $"{eventType}.{property.Name}", out error);
                if (member is null)
                {
                    return null;
                }

                members.Add(member);
                break;
            }
        }

        return members;
    }

    private static PbxCallMember? Member(JsonElement leg, PbxMemberKind kind, string context, out string? error)
    {
        var reader = new PbxFieldReader(leg, context);
        var number = kind == PbxMemberKind.Extension ? reader.RequiredText("number") : null;
        var from = reader.OptionalText("from");
        var to = reader.OptionalText("to");
        var trunk = reader.OptionalText("trunk_name", "trunkname");
        var channel = reader.RequiredText("channel_id", "channelid");
        var status = reader.OptionalText("member_status", "memberstatus");
        var callPath = reader.OptionalText("call_path", "callpath");
        error = reader.Error;
        return error is null
            ? new PbxCallMember(kind, number, from, to, trunk, channel, MemberStatus(status), callPath)
            : null;
    }

    // An unlisted status (the status after unhold is UNKNOWN, api.md A8.1) is kept as Unknown rather than refusing the frame.
    private static PbxMemberStatus MemberStatus(string? status) => status?.ToUpperInvariant() switch
    {
        "ALERT" => PbxMemberStatus.Alert,
        "RING" => PbxMemberStatus.Ring,
        "EARLYMEDIA" => PbxMemberStatus.EarlyMedia,
        "ANSWERED" => PbxMemberStatus.Answered,
        "ANSWER" => PbxMemberStatus.Answer,
        "HOLD" => PbxMemberStatus.Hold,
        "BYE" => PbxMemberStatus.Bye,
        _ => PbxMemberStatus.Unknown,
    };
}
