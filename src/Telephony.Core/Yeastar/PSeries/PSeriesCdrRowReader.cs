using System.Globalization;
using System.Text.Json;

namespace Telephony.Core.Yeastar.PSeries;

/// <summary>
/// Rows of <c>cdr/list</c> and <c>cdr/search</c> (api.md A11.1, A11.2): the query vocabulary (<c>duration</c>,
/// <c>disposition</c>, <c>call_type</c>, <c>"Name&lt;number&gt;"</c> parties) mapped onto the 30012 model.
/// </summary>
internal static class PSeriesCdrRowReader
{
    public const string EventType = "cdr/search";

    // The time follows the PBX display format (api.md A11.2); these are the documented ones.
    private static readonly string[] TimeFormats =
    [
        "MM/dd/yyyy HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy/MM/dd HH:mm:ss",
        "MM/dd/yyyy hh:mm:ss tt",
        "yyyy/MM/dd hh:mm:ss tt",
    ];

    public static PbxFrameParseResult Read(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            return PbxFrameParseResult.Fail("a CDR row must be a JSON object", EventType);
        }

        var reader = new PbxFieldReader(row, EventType);
        var callId = reader.RequiredText("call_id");
        var timeText = reader.RequiredText("time");
        var from = Number(reader.RequiredString("call_from"));
        var to = Number(reader.RequiredString("call_to"));
        var callSeconds = reader.RequiredSeconds("duration");
        var talkSeconds = reader.RequiredSeconds("talk_duration");
        var disposition = reader.RequiredText("disposition");
        var callType = reader.RequiredText("call_type");
        var sourceTrunk = reader.OptionalText("src_trunk");
        var destinationTrunk = reader.OptionalText("dst_trunk");
        var recording = reader.OptionalText("record_file");
        var did = reader.OptionalText("did_number");
        var uid = reader.OptionalText("uid");
        if (reader.Error is not null)
        {
            return PbxFrameParseResult.Fail(reader.Error, EventType);
        }

        if (!DateTime.TryParseExact(timeText, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timeStart))
        {
            return PbxFrameParseResult.Fail($"{EventType}.time is not a PBX time: {timeText}", EventType);
        }

        var fields = new CdrFields(callId, timeStart, from, to, callSeconds, talkSeconds, disposition, callType)
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
