using System.Text.Json;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>Issue 9: shapes that live PBXs send although the documentation shows them otherwise.</summary>
public sealed class RealPbxPayloadTests
{
    [Theory]
    [InlineData("""{"call_id":"1702287660.000012","reason":"NOT found","members":null}""")]
    [InlineData("""{"call_id":"1702287660.000012","reason":"NOT found"}""")]
    public void Call_failed_with_null_or_missing_members_is_a_failure_without_members(string msg)
    {
        var result = PbxFrameParser.Parse(PFrame(30015, msg));

        var failed = Assert.IsType<CallFailed>(result.Event);
        Assert.Equal(("1702287660.000012", "NOT found"), (failed.CallId, failed.Reason));
        Assert.Empty(failed.Members);
    }

    [Theory]
    [InlineData(30011, CallChangeKind.Status)]
    [InlineData(30013, CallChangeKind.Transfer)]
    [InlineData(30014, CallChangeKind.Forward)]
    public void Call_events_with_null_members_parse_to_no_members(int type, CallChangeKind kind)
    {
        var result = PbxFrameParser.Parse(PFrame(type, """{"call_id":"1.2","members":null}"""));

        var change = Assert.IsType<CallStatusChanged>(result.Event);
        Assert.Equal(kind, change.Kind);
        Assert.Empty(change.Members);
    }

    [Fact]
    public void S_series_call_failed_with_null_members_is_a_failure()
    {
        var failed = Assert.IsType<CallFailed>(PbxFrameParser.Parse("""{"event":"CallFailed","callid":"1.2","reason":"User Busy","members":null}""").Event);

        Assert.Equal(("1.2", "User Busy"), (failed.CallId, failed.Reason));
        Assert.Empty(failed.Members);
    }

    [Theory]
    [InlineData("\"members\":\"none\"", "30015.members must be an array")]
    [InlineData("\"members\":[1]", "30015.members[] must hold objects")]
    public void Members_that_are_there_but_not_an_array_of_objects_are_still_an_error(string members, string error)
    {
        var result = PbxFrameParser.Parse(PFrame(30015, "{\"call_id\":\"1.2\",\"reason\":\"x\"," + members + "}"));

        Assert.Null(result.Event);
        Assert.Equal(error, result.Error);
    }

    [Theory]
    [InlineData("18/10/2025 03:10:26 PM")]
    [InlineData("04/10/2025 03:10:26 PM")]
    [InlineData("soon")]
    public void Cdr_row_with_a_unix_timestamp_starts_then_whatever_its_time_says(string time)
    {
        var cdr = Assert.IsType<CallDetailRecord>(Row(time, timestamp: "1759587026").Event);

        Assert.Equal(new DateTimeOffset(2025, 10, 4, 14, 10, 26, TimeSpan.Zero), cdr.TimeStart.Instant);
        Assert.Null(cdr.TimeStart.Local);
    }

    [Theory]
    [InlineData("\"1759587026\"")]
    [InlineData("1759587026")]
    public void Cdr_row_timestamp_may_be_a_number_or_a_digit_string(string timestamp)
    {
        var cdr = Assert.IsType<CallDetailRecord>(Row("x", timestamp: timestamp).Event);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1759587026), cdr.TimeStart.Instant);
    }

    [Theory]
    [InlineData("04/10/2025 03:10:26 PM", PbxDateFormat.DayFirst, 2025, 10, 4, 15)]
    [InlineData("04/10/2025 03:10:26 PM", PbxDateFormat.MonthFirst, 2025, 4, 10, 15)]
    [InlineData("04/10/2025 03:10:26 AM", PbxDateFormat.DayFirst, 2025, 10, 4, 3)]
    [InlineData("04-10-2025 15:10:26", PbxDateFormat.DayFirst, 2025, 10, 4, 15)]
    [InlineData("4.10.2025 15:10:26", PbxDateFormat.DayFirst, 2025, 10, 4, 15)]
    [InlineData("2025/10/04 03:10:26 PM", PbxDateFormat.YearFirst, 2025, 10, 4, 15)]
    [InlineData("2025/10/04 03:10:26 PM", null, 2025, 10, 4, 15)]
    [InlineData("18/10/2025 03:10:26 PM", null, 2025, 10, 18, 15)]
    [InlineData("10/18/2025 15:10:26", null, 2025, 10, 18, 15)]
    [InlineData("05/05/2025 15:10:26", null, 2025, 5, 5, 15)]
    public void Cdr_row_without_a_timestamp_reads_its_time_in_the_pbx_date_order(string time, PbxDateFormat? format, int year, int month, int day, int hour)
    {
        var cdr = Assert.IsType<CallDetailRecord>(Row(time, format: format).Event);

        Assert.Equal(new DateTime(year, month, day, hour, 10, 26), cdr.TimeStart.Local);
        Assert.Null(cdr.TimeStart.Instant);
    }

    [Fact]
    public void Cdr_row_whose_day_and_month_could_be_either_way_is_refused_without_the_setting_rather_than_guessed()
    {
        var result = Row("04/10/2025 03:10:26 PM");

        Assert.Null(result.Event);
        Assert.Equal(
            "cdr/search.time is ambiguous (day and month could be either way round); set the PBX's dateFormat (MM/DD/YYYY or DD/MM/YYYY): 04/10/2025 03:10:26 PM",
            result.Error);
    }

    [Fact]
    public void Cdr_row_that_cannot_be_in_the_configured_order_is_refused_naming_it()
    {
        var result = Row("18/10/2025 03:10:26 PM", format: PbxDateFormat.MonthFirst);

        Assert.Null(result.Event);
        Assert.Equal("cdr/search.time is not a PBX time in MM/DD/YYYY: 18/10/2025 03:10:26 PM", result.Error);
    }

    [Fact]
    public void The_date_order_reaches_backfilled_rows_through_the_bridge_source()
    {
        var row = RowJson("04/10/2025 03:10:26 PM", timestamp: null);

        var result = PbxFrameParser.Parse(row, PbxFrameParser.CdrBackfillSource, PbxDateFormat.DayFirst);

        Assert.Equal(new DateTime(2025, 10, 4, 15, 10, 26), Assert.IsType<CallDetailRecord>(result.Event).TimeStart.Local);
    }

    [Fact]
    public void Live_cdr_time_start_follows_the_date_order_too_when_it_is_not_year_first()
    {
        var frame = PFrame(30012, """{"call_id":"1.2","time_start":"04/10/2025 15:10:26","call_from":"5503301","call_to":"2002","call_duration":40,"talk_duration":30,"status":"ANSWERED","type":"Inbound"}""");

        Assert.Equal(new DateTime(2025, 10, 4, 15, 10, 26), Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(frame, "websocket", PbxDateFormat.DayFirst).Event).TimeStart.Local);
        Assert.Contains("is ambiguous", PbxFrameParser.Parse(frame).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"did_number\":\"5550100\"")]
    [InlineData("\"did\":\"5550100\"")]
    [InlineData("\"did_number\":\"\",\"did\":\"5550100\"")]
    [InlineData("\"did_name\":\"5550100\"")]
    public void Cdr_row_did_is_read_under_any_of_its_names(string did)
    {
        var json = RowJson("10/18/2025 15:10:26", timestamp: null).TrimEnd('}') + "," + did + "}";

        Assert.Equal("5550100", Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(json, PbxFrameParser.CdrBackfillSource).Event).DidNumber);
    }

    [Fact]
    public void S_series_one_point_zero_cdr_is_named_as_the_old_format_not_misread_by_its_type()
    {
        var result = PbxFrameParser.Parse("""{"action":"NewCdr","callid":"1.2","type":"Internal","callfrom":"1001","callto":"1002"}""");

        Assert.Null(result.Event);
        Assert.Equal("S-Series 1.0.0 event format is not supported; log in with version 2.0.0", result.Error);
    }

    [Fact]
    public void S_series_incoming_is_informational()
    {
        var result = PbxFrameParser.Parse("""{"event":"Incoming","callid":"1.2","sn":"0"}""");

        Assert.Equal("Incoming", Assert.IsType<InformationalPbxEvent>(result.Event).EventType);
    }

    private static string PFrame(int type, string msg) => JsonSerializer.Serialize(new { type, sn = "0000000000000000", msg });

    private static PbxFrameParseResult Row(string time, string? timestamp = null, PbxDateFormat? format = null)
    {
        using var document = JsonDocument.Parse(RowJson(time, timestamp));
        return PbxFrameParser.ParseCdrSearchRow(document.RootElement, format);
    }

    private static string RowJson(string time, string? timestamp) =>
        "{\"call_id\":\"1759587026.7\",\"time\":" + JsonSerializer.Serialize(time)
        + (timestamp is null ? "" : ",\"timestamp\":" + timestamp)
        + ",\"call_from\":\"89161234567<89161234567>\",\"call_to\":\"Front desk<2002>\",\"duration\":40,\"talk_duration\":30,"
        + "\"disposition\":\"ANSWERED\",\"call_type\":\"Inbound\"}";
}
