using System.Text.Json;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

public sealed class PbxFrameParserTests
{
    public static TheoryData<string> EventFrameFixtures() =>
        new(YeastarFixtures.AllFiles().Where(YeastarFixtures.IsEventFrame));

    public static TheoryData<string> AllFixtures() => new(YeastarFixtures.AllFiles());

    [Theory]
    [MemberData(nameof(EventFrameFixtures))]
    public void Every_event_frame_fixture_parses_to_an_event_of_the_expected_type(string fileName)
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read(fileName));

        Assert.Null(result.Error);
        Assert.NotNull(result.Event);
        Assert.NotNull(result.EventType);
        if (ExpectedType(result.EventType) is { } expected)
        {
            Assert.IsType(expected, result.Event);
        }
    }

    [Theory]
    [MemberData(nameof(EventFrameFixtures))]
    public void Every_event_frame_fixture_parses_the_same_from_a_json_element(string fileName)
    {
        var text = YeastarFixtures.Read(fileName);
        using var document = JsonDocument.Parse(text);

        var fromElement = PbxFrameParser.Parse(document.RootElement);
        var fromText = PbxFrameParser.Parse(text);

        Assert.Equal(fromText.EventType, fromElement.EventType);
        Assert.Equal(fromText.Event?.GetType(), fromElement.Event?.GetType());
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Any_fixture_parses_without_throwing_to_exactly_one_of_event_or_error(string fileName)
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read(fileName));

        Assert.True(result.Event is null ^ result.Error is null, $"{fileName}: {result}");
    }

    [Fact]
    public void The_fixture_folder_holds_the_documented_event_frames()
    {
        var frames = YeastarFixtures.AllFiles().Where(YeastarFixtures.IsEventFrame).ToList();

        Assert.True(frames.Count >= 40, $"only {frames.Count} event frames found in {YeastarFixtures.Folder}");
        Assert.Contains("s-transfer.json", frames);
        Assert.DoesNotContain("p-get-token-response.json", frames);
        Assert.DoesNotContain("s-call-dial-request.json", frames);
    }

    [Fact]
    public void Call_status_snapshot_keeps_every_member_field_and_blank_call_path_becomes_null()
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read("p-30011-answered-inbound.json"));

        var change = Assert.IsType<CallStatusChanged>(result.Event);
        Assert.Equal("30011", result.EventType);
        Assert.Equal("1648861726.280", change.CallId);
        Assert.Equal(CallChangeKind.Status, change.Kind);
        Assert.Equal(
            [
                new PbxCallMember(PbxMemberKind.Inbound, null, "5503301", "2002", "peer-to-41", "PJSIP/trunk-peer-to-41-endpoint-000000b5", PbxMemberStatus.Answered, null),
                new PbxCallMember(PbxMemberKind.Extension, "2002", null, null, null, "PJSIP/2002-000000b6", PbxMemberStatus.Answer, null),
            ],
            change.Members);
    }

    [Fact]
    public void Call_path_of_a_queue_is_kept()
    {
        var change = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30011-ringing-inbound-via-queue.json")).Event);

        Assert.All(change.Members, m => Assert.Equal("6402", m.CallPath));
    }

    [Fact]
    public void Early_media_and_hold_statuses_are_read()
    {
        var early = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30011-earlymedia-outbound.json")).Event);
        var hold = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30011-hold-internal.json")).Event);

        Assert.Equal(PbxMemberStatus.EarlyMedia, early.Members[1].Status);
        Assert.Equal(PbxMemberKind.Outbound, early.Members[1].Kind);
        Assert.Equal(PbxMemberStatus.Hold, hold.Members[0].Status);
    }

    [Fact]
    public void P_series_cdr_is_read_with_blank_fields_as_null()
    {
        var cdr = Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30012-cdr-answered-internal.json")).Event);

        Assert.Equal(
            new CallDetailRecord("1651057476.362", PbxTime.AtLocal(new DateTime(2022, 4, 27, 19, 4, 36)), "2005", "2002", 24, 21,
                CdrDisposition.Answered, CdrCallType.Internal, null, null,
                "20220427190445-1651057476.362-2005-2002-Internal.wav", null, "2024111913594421D77"),
            cdr);
        Assert.Equal(DateTimeKind.Unspecified, cdr.TimeStart.Local!.Value.Kind);
        Assert.Null(cdr.TimeStart.Instant);
    }

    [Fact]
    public void Live_voicemail_cdr_with_undocumented_fields_is_read()
    {
        var cdr = Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30012-cdr-voicemail-inbound.json")).Event);

        Assert.Equal(CdrDisposition.Voicemail, cdr.Disposition);
        Assert.Equal(CdrCallType.Inbound, cdr.CallType);
        Assert.Equal("Saf", cdr.SourceTrunk);
        Assert.Null(cdr.Recording);
    }

    [Fact]
    public void S_series_cdr_reads_misspelled_fields_and_string_numbers()
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read("s-newcdr-answered-outbound.json"));

        var cdr = Assert.IsType<CallDetailRecord>(result.Event);
        Assert.Equal("NewCdr", result.EventType);
        Assert.Equal(
            new CallDetailRecord("1571898101.9", PbxTime.AtLocal(new DateTime(2019, 10, 23, 22, 21, 41)), "1023", "9283737733", 6, 3,
                CdrDisposition.Answered, CdrCallType.Outbound, null, "siptrunk", null, null, null),
            cdr);
    }

    [Fact]
    public void S_series_noanswer_cdr_keeps_the_did_number()
    {
        var cdr = Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(YeastarFixtures.Read("s-newcdr-noanswer-inbound.json")).Event);

        Assert.Equal(CdrDisposition.NoAnswer, cdr.Disposition);
        Assert.Equal("5503300", cdr.DidNumber);
        Assert.Equal("siptrunk", cdr.SourceTrunk);
    }

    [Fact]
    public void S_series_call_status_uses_ext_and_concatenated_names()
    {
        var change = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("s-callstatus-ringing-inbound.json")).Event);

        Assert.Equal("1571896991.2", change.CallId);
        Assert.Equal(
            [
                new PbxCallMember(PbxMemberKind.Inbound, null, "2000", "1023", "siptrunk", "PJSIP/trunk-siptrunk-endpoint-00000001", PbxMemberStatus.Alert, null),
                new PbxCallMember(PbxMemberKind.Extension, "1023", null, null, null, "PJSIP/1023-00000002", PbxMemberStatus.Ring, null),
            ],
            change.Members);
    }

    [Fact]
    public void S_series_tranfer_spelling_is_a_transfer_with_unknown_member_status()
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read("s-transfer.json"));

        var change = Assert.IsType<CallStatusChanged>(result.Event);
        Assert.Equal("Tranfer", result.EventType);
        Assert.Equal(CallChangeKind.Transfer, change.Kind);
        Assert.All(change.Members, m => Assert.Equal(PbxMemberStatus.Unknown, m.Status));
    }

    [Fact]
    public void Forward_frames_of_both_series_are_forwards()
    {
        var p = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30014-forward.json")).Event);
        var s = Assert.IsType<CallStatusChanged>(PbxFrameParser.Parse(YeastarFixtures.Read("s-forward.json")).Event);

        Assert.Equal(CallChangeKind.Forward, p.Kind);
        Assert.Equal(CallChangeKind.Forward, s.Kind);
    }

    [Fact]
    public void Call_failed_keeps_the_reason_text()
    {
        var p = Assert.IsType<CallFailed>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30015-call-failed-busy.json")).Event);
        var s = Assert.IsType<CallFailed>(PbxFrameParser.Parse(YeastarFixtures.Read("s-callfailed.json")).Event);

        Assert.Equal("486 Busy here", p.Reason);
        Assert.Equal(2, p.Members.Count);
        Assert.Equal("NO Outbound Restriction", s.Reason);
        Assert.Equal(PbxMemberStatus.Unknown, Assert.Single(s.Members).Status);
    }

    [Fact]
    public void Extension_events_are_read()
    {
        Assert.Equal(new ExtensionRegistrationChanged("2010", true), Parse("p-30007-extension-registered.json"));
        Assert.Equal(new ExtensionCallStatusChanged("2002", ExtensionCallStatus.Ringing), Parse("p-30008-extension-ringing.json"));
        Assert.Equal(new ExtensionCallStatusChanged("2002", ExtensionCallStatus.Idle), Parse("p-30008-extension-idle.json"));
        Assert.Equal(new ExtensionPresenceChanged("2005", "business_trip"), Parse("p-30009-presence-business-trip.json"));
        Assert.Equal(new ExtensionConfigurationChanged("3355", "CREATE"), Parse("p-30022-extension-created.json"));
        Assert.Equal(new ExtensionCallStatusChanged("1023", ExtensionCallStatus.Ringing), Parse("s-extensionstatus-ringing.json"));
        Assert.Equal(new SatisfactionSurveyed("1648876393.439", "1"), Parse("p-30019-satisfaction.json"));

        static PbxEvent? Parse(string fileName) => PbxFrameParser.Parse(YeastarFixtures.Read(fileName)).Event;
    }

    [Theory]
    [InlineData("Registered", ExtensionCallStatus.Idle)]
    [InlineData("busy", ExtensionCallStatus.Busy)]
    [InlineData("RINGING", ExtensionCallStatus.Ringing)]
    [InlineData("Idle", ExtensionCallStatus.Idle)]
    public void S_series_extension_status_maps_case_insensitively(string status, ExtensionCallStatus expected)
    {
        var result = PbxFrameParser.Parse($$"""{"event":"ExtensionStatus","extension":"1023","status":"{{status}}","sn":"1"}""");

        Assert.Equal(new ExtensionCallStatusChanged("1023", expected), result.Event);
    }

    [Theory]
    [InlineData("Unregistered")]
    [InlineData("unavailable")]
    public void S_series_unavailable_extension_is_unregistered(string status)
    {
        var result = PbxFrameParser.Parse($$"""{"event":"ExtensionStatus","extension":"1023","status":"{{status}}"}""");

        Assert.Equal(new ExtensionRegistrationChanged("1023", false), result.Event);
    }

    [Fact]
    public void S_series_satisfaction_is_read()
    {
        var result = PbxFrameParser.Parse("""{"event":"satisfaction","callid":"1571896991.2","surveyresult":"3","sn":"1"}""");

        Assert.Equal(new SatisfactionSurveyed("1571896991.2", "3"), result.Event);
    }

    [Theory]
    [InlineData("heartbeat response")]
    [InlineData("  heartbeat response\n")]
    [InlineData("""{"errcode":0,"errmsg":"SUCCESS"}""")]
    [InlineData("""{"type":30010,"sn":"x","msg":"{\"trunk_name\":\"peering\",\"status\":1}"}""")]
    public void Heartbeat_and_subscribe_replies_are_informational(string frame)
    {
        var result = PbxFrameParser.Parse(frame);

        Assert.IsType<InformationalPbxEvent>(result.Event);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Message_object_is_used_as_is()
    {
        var result = PbxFrameParser.Parse("""{"type":30011,"msg":{"call_id":"1.2","members":[{"extension":{"number":"2002","channel_id":"PJSIP/2002-1","member_status":"RING"}}],"extra":[1,2]}}""");

        var change = Assert.IsType<CallStatusChanged>(result.Event);
        Assert.Equal("2002", Assert.Single(change.Members).Number);
    }

    [Fact]
    public void Unknown_member_kinds_and_extra_fields_are_ignored()
    {
        var result = PbxFrameParser.Parse("""{"type":30011,"sn":"x","new":true,"msg":"{\"call_id\":\"1.2\",\"members\":[{\"conference\":{\"x\":1}},{\"extension\":{\"number\":\"2002\",\"channel_id\":\"c\",\"member_status\":\"RING\",\"colour\":\"red\"}}]}"}""");

        var change = Assert.IsType<CallStatusChanged>(result.Event);
        Assert.Single(change.Members);
    }

    [Fact]
    public void Unknown_p_series_type_is_an_error_naming_the_type()
    {
        var result = PbxFrameParser.Parse("""{"type":39999,"sn":"x","msg":"{}"}""");

        Assert.Null(result.Event);
        Assert.Equal("unknown event type 39999", result.Error);
        Assert.Equal("39999", result.EventType);
    }

    [Fact]
    public void Unknown_s_series_event_is_an_error_naming_the_event()
    {
        var result = PbxFrameParser.Parse("""{"event":"Teleport","callid":"1.2"}""");

        Assert.Equal("unknown event type Teleport", result.Error);
    }

    [Fact]
    public void Cdr_search_row_maps_onto_the_cdr_model_starting_at_its_unix_timestamp()
    {
        using var document = JsonDocument.Parse(YeastarFixtures.Read("p-cdr-search-v1-response.json"));
        var row = document.RootElement.GetProperty("data")[0];

        var result = PbxFrameParser.ParseCdrSearchRow(row);

        Assert.Equal(
            new CallDetailRecord("1777304494.97", PbxTime.AtInstant(new DateTimeOffset(2026, 4, 27, 15, 41, 34, TimeSpan.Zero)), "0745150974", "6400", 62, 44,
                CdrDisposition.Answered, CdrCallType.Inbound, "Saf", null, null, null, "20260427184134D5F8F"),
            result.Event);
        Assert.Equal("cdr/search", result.EventType);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"call_id":"1.2"}""")]
    [InlineData("""{"call_id":"1.2","time":"soon","call_from":"1","call_to":"2","duration":5,"talk_duration":0,"disposition":"ANSWERED","call_type":"Inbound"}""")]
    [InlineData("""{"call_id":"1.2","time":"04/27/2026 18:41:34","call_from":"1","call_to":"2","duration":-5,"talk_duration":0,"disposition":"ANSWERED","call_type":"Inbound"}""")]
    [InlineData("""{"call_id":"1.2","time":"04/27/2026 18:41:34","call_from":"1","call_to":"2","duration":5,"talk_duration":0,"disposition":"LOST","call_type":"Inbound"}""")]
    public void Bad_cdr_search_row_is_an_error(string row)
    {
        using var document = JsonDocument.Parse(row);

        var result = PbxFrameParser.ParseCdrSearchRow(document.RootElement);

        Assert.Null(result.Event);
        Assert.NotNull(result.Error);
    }

    public static TheoryData<string> BadFrames() =>
    [
        "",
        "   ",
        "{",
        "not json",
        "heartbeat",
        "[]",
        "42",
        "null",
        "\"hello\"",
        new string('[', 5000),
        """{"sn":"x"}""",
        """{"type":"abc","msg":"{}"}""",
        """{"type":1e400,"msg":"{}"}""",
        """{"type":30011}""",
        """{"type":30011,"msg":42}""",
        """{"type":30011,"msg":"not json"}""",
        """{"type":30011,"msg":"[1,2]"}""",
        """{"type":30011,"msg":"{\"members\":[]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"  \",\"members\":[]}"}""",
        """{"type":30011,"msg":"{\"call_id\":{},\"members\":[]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":5}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":\"x\"}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":[1]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":[{\"extension\":\"2002\"}]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":[{\"extension\":{\"number\":\"2002\"}}]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":[{\"extension\":{\"number\":true,\"channel_id\":\"c\"}}]}"}""",
        """{"type":30011,"msg":"{\"call_id\":\"1.2\",\"members\":[{\"extension\":{\"number\":\"1\",\"channel_id\":\"c\",\"member_status\":[]}}]}"}""",
        """{"type":30015,"msg":"{\"reason\":\"User Busy\",\"members\":[]}"}""",
        """{"type":30008,"msg":"{\"extension\":\"2002\",\"status\":\"Dancing\"}"}""",
        """{"type":30007,"msg":"{\"extension\":\"2002\"}"}""",
        """{"type":30019,"msg":"{\"call_id\":\"1.2\"}"}""",
        """{"type":30022,"msg":"{\"option\":\"CREATE\"}"}""",
        Cdr("\"call_duration\":-5"),
        Cdr("\"call_duration\":1000000000000"),
        Cdr("\"call_duration\":1e12"),
        Cdr("\"call_duration\":\"abc\""),
        Cdr("\"call_duration\":12.5"),
        Cdr("\"call_duration\":null"),
        Cdr("\"time_start\":\"yesterday\""),
        Cdr("\"time_start\":\"0001-01-01 00:00:00\""),
        Cdr("\"status\":\"MAYBE\""),
        Cdr("\"type\":\"Sideways\""),
        Cdr("\"call_from\":[]"),
        """{"event":"NewCdr","callid":"1.2","timestart":"2019-10-23 22:18:50","callfrom":"1","callto":"2","callduraction":"1000000000000","talkduraction":"0","status":"ANSWERED","type":"Internal"}""",
        """{"event":"NewCdr","callid":"1.2","timestart":"2019-10-23 22:18:50","callfrom":"1","callto":"2","callduraction":"-1","talkduraction":"0","status":"ANSWERED","type":"Internal"}""",
        """{"event":"CallStatus","members":[]}""",
        """{"event":"ExtensionStatus","extension":"1023"}""",
        """{"event":"ExtensionStatus","extension":"1023","status":"Sleeping"}""",
        """{"event":42}""",
        """{"event":""}""",
        """{"action":"NewCdr","callid":"1.2"}""",
        """{"errcode":10004,"errmsg":"TOKEN EXPIRED"}""",
        """{"errcode":"zero"}""",
    ];

    [Theory]
    [MemberData(nameof(BadFrames))]
    public void Bad_input_is_an_error_and_never_throws(string frame)
    {
        var result = PbxFrameParser.Parse(frame);

        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Null_text_and_undefined_element_are_errors()
    {
        Assert.NotNull(PbxFrameParser.Parse((string)null!).Error);
        Assert.NotNull(PbxFrameParser.Parse(default(JsonElement)).Error);
    }

    [Fact]
    public void Cdr_template_used_by_the_bad_input_cases_is_itself_valid()
    {
        Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(Cdr("\"call_duration\":40")).Event);
    }

    private static string Cdr(string overrideField)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["call_id"] = "\"1.2\"",
            ["time_start"] = "\"2022-04-02 09:08:46\"",
            ["call_from"] = "\"5503301\"",
            ["call_to"] = "\"2002\"",
            ["call_duration"] = "40",
            ["talk_duration"] = "30",
            ["status"] = "\"ANSWERED\"",
            ["type"] = "\"Inbound\"",
        };
        var separator = overrideField.IndexOf(':', StringComparison.Ordinal);
        fields[overrideField[1..(separator - 1)]] = overrideField[(separator + 1)..];
        var msg = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        return JsonSerializer.Serialize(new { type = 30012, sn = "x", msg });
    }

    private static Type? ExpectedType(string eventType) => eventType switch
    {
        "30011" or "30013" or "30014" or "CallStatus" or "Tranfer" or "Forward" => typeof(CallStatusChanged),
        "30012" or "NewCdr" => typeof(CallDetailRecord),
        "30015" or "CallFailed" => typeof(CallFailed),
        "30007" => typeof(ExtensionRegistrationChanged),
        "30008" or "ExtensionStatus" => typeof(ExtensionCallStatusChanged),
        "30009" => typeof(ExtensionPresenceChanged),
        "30019" => typeof(SatisfactionSurveyed),
        "30022" => typeof(ExtensionConfigurationChanged),
        "30010" or "30016" or "30017" or "30020" or "30026" or "30029" or "Invite" or "Incoming" => typeof(InformationalPbxEvent),
        _ => null,
    };
}
