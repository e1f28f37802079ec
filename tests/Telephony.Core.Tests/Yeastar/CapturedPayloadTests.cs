using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>What the payloads captured from live PBXs (Yeastar/Captures, sources in its README) taught the parser.</summary>
public sealed class CapturedPayloadTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static TheoryData<string> LegacySSeriesCaptures() => new(YeastarFixtures.Captures().Where(f => f.StartsWith("s1-", StringComparison.Ordinal)));

    [Fact]
    public void The_captures_folder_holds_the_collected_payloads_and_each_is_listed_with_its_source()
    {
        var captures = YeastarFixtures.Captures().ToList();
        var readme = File.ReadAllText(Path.Combine(YeastarFixtures.CapturesFolder, "README.md"));

        Assert.True(captures.Count >= 10, $"only {captures.Count} captures in {YeastarFixtures.CapturesFolder}");
        Assert.All(captures, file => Assert.Contains($"| {file} |", readme, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LegacySSeriesCaptures))]
    public void S_series_one_point_zero_pushes_are_named_as_the_old_format(string fileName)
    {
        var result = PbxFrameParser.Parse(YeastarFixtures.Read(fileName));

        Assert.Null(result.Event);
        Assert.Equal("S-Series 1.0.0 event format is not supported; log in with version 2.0.0", result.Error);
    }

    [Fact]
    public void Failure_with_null_members_is_read_and_ends_its_call_as_failed()
    {
        var failed = Assert.IsType<CallFailed>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30015-members-null.json")).Event);

        var state = CallLifecycle.Apply(CallState.New(failed.CallId), failed, DateTimeOffset.UnixEpoch.AddSeconds(1694606403), Moscow);

        Assert.Empty(failed.Members);
        Assert.Equal((CallStatus.Ended, CallOutcome.Failed, "NOT found"), (state.Status, state.Outcome!.Value, state.FailureReason));
    }

    [Fact]
    public void Caller_hanging_up_while_it_rings_is_a_missed_call_not_a_failure()
    {
        var abandoned = YeastarFixtures.Event("p-30011-ring-while-caller-bye.json");
        var callId = ((CallStatusChanged)abandoned).CallId;
        var terminated = YeastarFixtures.Event("p-30015-request-terminated-inbound.json", callId);
        var at = DateTimeOffset.UnixEpoch.AddSeconds(1694606403);

        var state = CallLifecycle.Apply(CallState.New(callId), abandoned, at, Moscow);
        state = CallLifecycle.Apply(state, terminated, at.AddSeconds(1), Moscow);

        Assert.Equal(CallDirection.Inbound, state.Direction);
        Assert.Equal(CallOutcome.Missed, state.Outcome);
        Assert.Equal("487 Request Terminated", state.FailureReason);
    }

    [Fact]
    public void Failed_cdr_from_an_older_firmware_without_uid_is_read()
    {
        var cdr = Assert.IsType<CallDetailRecord>(PbxFrameParser.Parse(YeastarFixtures.Read("p-30012-cdr-failed-outbound-no-uid.json")).Event);

        Assert.Equal(CdrDisposition.Failed, cdr.Disposition);
        Assert.Null(cdr.Uid);
    }

    [Fact]
    public void S_series_incoming_is_informational()
    {
        Assert.IsType<InformationalPbxEvent>(PbxFrameParser.Parse(YeastarFixtures.Read("s-incoming.json")).Event);
    }
}
