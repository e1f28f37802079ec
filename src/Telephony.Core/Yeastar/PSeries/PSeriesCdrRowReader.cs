using System.Text.Json;

namespace Telephony.Core.Yeastar.PSeries;

/// <summary>
/// Rows of <c>cdr/list</c> and <c>cdr/search</c> (api.md A11.1, A11.2): the query vocabulary (<c>duration</c>,
/// <c>disposition</c>, <c>call_type</c>, <c>"Name&lt;number&gt;"</c> parties) mapped onto the 30012 model.
/// </summary>
internal static class PSeriesCdrRowReader
{
    public const string EventType = "cdr/search";

    public static PbxFrameParseResult Read(JsonElement row, PbxDateFormat? dateFormat)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            return PbxFrameParseResult.Fail("a CDR row must be a JSON object", EventType);
        }

        var reader = new PbxFieldReader(row, EventType);
        var callId = reader.RequiredText("call_id");
        var timestamp = reader.OptionalUnixSeconds("timestamp");
        var timeText = timestamp is null ? reader.RequiredText("time") : "";
        var from = Number(reader.RequiredString("call_from"));
        var to = Number(reader.RequiredString("call_to"));
        var callSeconds = reader.RequiredSeconds("duration");
        var talkSeconds = reader.RequiredSeconds("talk_duration");
        var disposition = reader.RequiredText("disposition");
        var callType = reader.RequiredText("call_type");
        var sourceTrunk = reader.OptionalText("src_trunk");
        var destinationTrunk = reader.OptionalText("dst_trunk");
        var recording = reader.OptionalText("record_file");
        // Rows name the DID "did_number", "did" or only by "did_name" depending on firmware (api.md A11.1).
        var did = reader.OptionalText("did_number") ?? reader.OptionalText("did") ?? reader.OptionalText("did_name");
        var uid = reader.OptionalText("uid");
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, EventType);
        }

        // The Unix timestamp is the only unambiguous time (api.md A11.1); "time" follows the PBX's display setting.
        PbxTime start;
        if (timestamp is { } unix)
        {
            start = PbxTime.AtInstant(DateTimeOffset.FromUnixTimeSeconds(unix));
        }
        else if (PbxDisplayTime.TryRead(timeText, dateFormat, out var local, out var problem))
        {
            start = PbxTime.AtLocal(local);
        }
        else
        {
            return PbxFrameParseResult.Fail($"{EventType}.time {problem}: {timeText}", EventType);
        }

        var fields = new CdrFields(callId, start, from, to, callSeconds, talkSeconds, disposition, callType)
        {
            SourceTrunk = sourceTrunk,
            DestinationTrunk = destinationTrunk,
            Recording = recording,
            DidNumber = did,
            Uid = uid,
        };
        return PbxPayloadReader.Cdr(fields, EventType);
    }

    // Query rows write parties as "Name<number>" (api.md A11.1); keep the number.
    private static string Number(string party)
    {
        var open = party.LastIndexOf('<');
        var close = party.LastIndexOf('>');
        return open >= 0 && close > open ? party[(open + 1)..close].Trim() : party.Trim();
    }
}
