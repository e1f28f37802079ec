using Telephony.Core.Calls;
using Telephony.Core.Tests.Yeastar;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Calls;

public sealed class CallLifecycleTests
{
    private const string CallId = "1700000000.1";
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Inbound_call_answered_then_hung_up_is_answered_with_cdr_durations()
    {
        var state = Run(
            ("p-30011-ringing-inbound.json", 0),
            ("p-30011-answered-inbound.json", 10),
            ("p-30011-bye-inbound.json", 30));

        Assert.Equal(CallDirection.Inbound, state.Direction);
        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Null(state.Outcome);
        Assert.False(CallLifecycle.IsFinal(state));
        Assert.Equal("5503301", state.From);
        Assert.Equal("2002", state.To);
        Assert.Equal("5503301", state.ExternalNumber);
        Assert.Equal("2002", state.Extension);
        Assert.Equal("peer-to-41", state.Trunk);
        Assert.Equal(T0, state.StartedAt);
        Assert.Equal(T0.AddSeconds(10), state.AnsweredAt);
        Assert.Equal(T0.AddSeconds(30), state.EndedAt);
        Assert.Equal((10, 20, 30), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.Equal(new CallLeg("2002", T0, T0.AddSeconds(10), T0.AddSeconds(30), CallOutcome.Answered), Assert.Single(state.Legs));

        state = Apply(state, "p-30012-cdr-answered-inbound.json", 31);

        Assert.Equal(CallOutcome.Answered, state.Outcome);
        Assert.True(state.HasCdr);
        Assert.True(CallLifecycle.IsFinal(state));
        Assert.Equal((10, 30, 40), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.Equal($"20220402090856-{CallId}-5503301-2002-Inbound.wav", state.Recording);
        Assert.Equal(T0.AddSeconds(31), state.LastEventAt);
    }

    [Fact]
    public void Inbound_call_is_missed_when_the_caller_hangs_up_while_ringing()
    {
        var state = Run(("p-30011-ringing-inbound.json", 0), ("p-30011-bye-inbound.json", 12));

        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Null(state.AnsweredAt);
        Assert.Equal((12, 0, 12), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.Equal(new CallLeg("2002", T0, null, T0.AddSeconds(12), CallOutcome.Missed), Assert.Single(state.Legs));

        state = Apply(state, "p-30012-cdr-noanswer-inbound.json", 13);

        Assert.Equal(CallOutcome.Missed, state.Outcome);
        Assert.Equal((30, 0, 30), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.True(CallLifecycle.IsFinal(state));
    }

    [Fact]
    public void Missed_call_without_cdr_is_finalized_as_missed()
    {
        var state = Run(("p-30011-ringing-inbound.json", 0), ("p-30011-bye-inbound.json", 12));

        var finalized = CallLifecycle.FinalizeWithoutCdr(state, T0.AddMinutes(5));

        Assert.Equal(CallOutcome.Missed, finalized.Outcome);
        Assert.Equal(T0.AddSeconds(12), finalized.EndedAt);
        Assert.False(finalized.HasCdr);
        Assert.True(CallLifecycle.IsFinal(finalized));
        Assert.Same(finalized, CallLifecycle.FinalizeWithoutCdr(finalized, T0.AddMinutes(10)));
    }

    [Theory]
    [InlineData("p-30012-cdr-voicemail-inbound.json")]
    [InlineData("s-newcdr-voicemail-inbound.json")]
    [InlineData("s-newcdr-noanswer-inbound.json")]
    public void Call_that_went_to_voicemail_or_was_not_answered_is_missed(string cdrFixture)
    {
        var state = Run(("p-30011-ringing-inbound.json", 0), (cdrFixture, 40));

        Assert.Equal(CallOutcome.Missed, state.Outcome);
        Assert.Equal(CallDirection.Inbound, state.Direction);
        Assert.Null(state.AnsweredAt);
        Assert.Equal(0, state.TalkSeconds);
        Assert.Equal(CallOutcome.Missed, Assert.Single(state.Legs).Outcome);
    }

    [Fact]
    public void Outbound_call_answered_by_the_callee()
    {
        var state = Run(
            ("p-30011-ringing-outbound.json", 0),
            ("p-30011-earlymedia-outbound.json", 3),
            ("p-30011-answered-outbound.json", 8));

        Assert.Equal(CallDirection.Outbound, state.Direction);
        Assert.Equal(CallStatus.Answered, state.Status);
        Assert.Equal("1005", state.From);
        Assert.Equal("5503301", state.To);
        Assert.Equal("5503301", state.ExternalNumber);
        Assert.Equal("1005", state.Extension);
        Assert.Equal("peer-to-41", state.Trunk);
        Assert.Equal(8, state.RingSeconds);
        Assert.Empty(state.Legs);

        state = Apply(state, "p-30012-cdr-answered-outbound.json", 50);

        Assert.Equal(CallOutcome.Answered, state.Outcome);
        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Equal((8, 38, 46), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.Equal(T0.AddSeconds(46), state.EndedAt);
    }

    [Fact]
    public void Outbound_call_to_a_busy_number_is_busy()
    {
        var state = Run(("p-30011-ringing-outbound.json", 0), ("p-30015-call-failed-busy.json", 4));

        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Equal(CallOutcome.Busy, state.Outcome);
        Assert.Equal("486 Busy here", state.FailureReason);
        Assert.Equal(CallDirection.Outbound, state.Direction);
        Assert.True(CallLifecycle.IsFinal(state));

        state = Apply(state, "p-30012-cdr-busy-outbound.json", 5);

        Assert.Equal(CallOutcome.Busy, state.Outcome);
        Assert.True(state.HasCdr);
        Assert.Equal((6, 0, 6), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
    }

    [Theory]
    [InlineData("User Busy", CallOutcome.Busy)]
    [InlineData("486 Busy here", CallOutcome.Busy)]
    [InlineData("NO Outbound Restrictin", CallOutcome.Failed)]
    [InlineData("404 NOT found", CallOutcome.Failed)]
    [InlineData("DND", CallOutcome.Failed)]
    [InlineData("486 Busy Here", CallOutcome.Busy)]
    [InlineData("NOT found", CallOutcome.Failed)]
    [InlineData("487 Request Terminated", CallOutcome.Missed)]
    public void Call_failed_reason_decides_busy_or_failed(string reason, CallOutcome expected)
    {
        var failure = new CallFailed(CallId, reason, [Member(PbxMemberKind.Extension, "1005", PbxMemberStatus.Bye)]);

        var state = CallLifecycle.Apply(CallState.New(CallId), failure, T0, Berlin);

        Assert.Equal(expected, state.Outcome);
        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Equal("1005", state.Extension);
    }

    [Fact]
    public void Call_failed_fixtures_of_both_series_end_the_call_as_failed()
    {
        var p = Run(("p-30015-call-failed-no-permission.json", 0));
        var s = Run(("s-callfailed.json", 0));

        Assert.Equal((CallOutcome.Failed, "NO Outbound Restrictin"), (p.Outcome!.Value, p.FailureReason));
        Assert.Equal((CallOutcome.Failed, "NO Outbound Restriction"), (s.Outcome!.Value, s.FailureReason));
    }

    [Fact]
    public void Busy_cdr_alone_makes_a_busy_outbound_call()
    {
        var state = Run(("p-30012-cdr-busy-outbound.json", 0));

        Assert.Equal(CallOutcome.Busy, state.Outcome);
        Assert.Equal(CallDirection.Outbound, state.Direction);
        Assert.Equal("5503302", state.ExternalNumber);
        Assert.Equal("1005", state.Extension);
        Assert.Null(state.AnsweredAt);
    }

    [Fact]
    public void Internal_call_between_two_extensions()
    {
        var state = Run(
            ("p-30011-ringing-internal.json", 0),
            ("p-30011-answered-internal.json", 3),
            ("p-30012-cdr-answered-internal.json", 25));

        Assert.Equal(CallDirection.Internal, state.Direction);
        Assert.Equal("2005", state.From);
        Assert.Equal("2002", state.To);
        Assert.Null(state.ExternalNumber);
        Assert.Null(state.Trunk);
        Assert.Equal("2002", state.Extension);
        Assert.Equal(CallOutcome.Answered, state.Outcome);
        Assert.Equal((3, 21, 24), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.Equal(new CallLeg("2002", T0, T0.AddSeconds(3), T0.AddSeconds(24), CallOutcome.Answered), Assert.Single(state.Legs));
    }

    [Fact]
    public void Hold_sets_on_hold_and_the_call_stays_answered()
    {
        var state = Run(("p-30011-answered-internal.json", 0), ("p-30011-hold-internal.json", 5));

        Assert.True(state.OnHold);
        Assert.Equal(CallStatus.Answered, state.Status);

        state = Apply(state, "p-30011-answered-internal.json", 9);

        Assert.False(state.OnHold);
        Assert.Equal(CallStatus.Answered, state.Status);
        Assert.Equal(T0, state.AnsweredAt);
    }

    [Fact]
    public void Cdr_before_the_last_bye_is_authoritative_and_later_frames_change_nothing()
    {
        var beforeBye = Run(
            ("p-30011-ringing-inbound.json", 0),
            ("p-30011-answered-inbound.json", 10),
            ("p-30012-cdr-answered-inbound.json", 20));

        Assert.Equal(CallStatus.Ended, beforeBye.Status);
        Assert.Equal(CallOutcome.Answered, beforeBye.Outcome);
        Assert.Equal((10, 30, 40), (beforeBye.RingSeconds, beforeBye.TalkSeconds, beforeBye.DurationSeconds));
        Assert.Equal(T0.AddSeconds(40), beforeBye.EndedAt);
        Assert.Equal(CallOutcome.Answered, Assert.Single(beforeBye.Legs).Outcome);

        Assert.Same(beforeBye, Apply(beforeBye, "p-30011-bye-inbound.json", 41));
        Assert.Same(beforeBye, Apply(beforeBye, "p-30011-answered-inbound.json", 42));
        Assert.Same(beforeBye, Apply(beforeBye, "p-30011-ringing-inbound.json", 43));
        Assert.Same(beforeBye, Apply(beforeBye, "p-30015-call-failed-busy.json", 44));
    }

    [Fact]
    public void Cdr_after_the_last_bye_settles_the_outcome_and_keeps_live_times()
    {
        var state = Run(
            ("p-30011-ringing-inbound.json", 0),
            ("p-30011-answered-inbound.json", 10),
            ("p-30011-bye-inbound.json", 41),
            ("p-30012-cdr-answered-inbound.json", 42));

        Assert.Equal(T0.AddSeconds(41), state.EndedAt);
        Assert.Equal((10, 30, 40), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.True(CallLifecycle.IsFinal(state));
    }

    [Fact]
    public void Cdr_without_live_events_is_a_complete_log_in_the_pbx_time_zone()
    {
        var state = Run(("p-30012-cdr-answered-inbound.json", 3600));

        // time_start 2022-04-02 09:08:46 in Berlin is CEST (+02:00).
        var started = new DateTimeOffset(2022, 4, 2, 7, 8, 46, TimeSpan.Zero);
        Assert.Equal(CallDirection.Inbound, state.Direction);
        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Equal(CallOutcome.Answered, state.Outcome);
        Assert.Equal(("5503301", "2002", "5503301"), (state.From, state.To, state.ExternalNumber));
        Assert.Equal("2002", state.Extension);
        Assert.Equal("peer-to-41", state.Trunk);
        Assert.Equal(started, state.StartedAt);
        Assert.Equal(started.AddSeconds(10), state.AnsweredAt);
        Assert.Equal(started.AddSeconds(40), state.EndedAt);
        Assert.Equal((10, 30, 40), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.True(CallLifecycle.IsFinal(state));
    }

    [Fact]
    public void S_series_cdr_without_live_events_is_a_complete_log()
    {
        var state = Run(("s-newcdr-answered-internal.json", 0));

        var started = new DateTimeOffset(2019, 10, 23, 20, 18, 50, TimeSpan.Zero);
        Assert.Equal(CallDirection.Internal, state.Direction);
        Assert.Equal(("1023", "2023"), (state.From, state.To));
        Assert.Null(state.ExternalNumber);
        Assert.Equal(started, state.StartedAt);
        Assert.Equal(started.AddSeconds(19), state.EndedAt);
        Assert.Equal((5, 14, 19), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
    }

    [Fact]
    public void Answer_snapshot_after_the_bye_does_not_reopen_the_call()
    {
        var ended = Run(("p-30011-ringing-inbound.json", 0), ("p-30011-bye-inbound.json", 5));

        Assert.Same(ended, Apply(ended, "p-30011-answered-inbound.json", 6));
    }

    [Fact]
    public void Ringing_snapshot_after_the_answer_does_not_regress_the_status()
    {
        var answered = Run(("p-30011-ringing-inbound.json", 0), ("p-30011-answered-inbound.json", 5));

        var late = Apply(answered, "p-30011-ringing-inbound.json", 6);

        Assert.Same(answered, late);
        Assert.Equal(CallStatus.Answered, late.Status);
    }

    [Fact]
    public void Answer_arriving_before_the_ringing_snapshot_still_ends_up_answered()
    {
        var state = Run(("p-30011-answered-inbound.json", 5), ("p-30011-ringing-inbound.json", 6));

        Assert.Equal(CallStatus.Answered, state.Status);
        Assert.Equal(T0.AddSeconds(5), state.AnsweredAt);
        Assert.Equal("2002", state.Extension);
        Assert.Null(Assert.Single(state.Legs).EndedAt);
    }

    [Fact]
    public void Repeated_snapshot_yields_the_identical_state()
    {
        foreach (var fixture in new[] { "p-30011-ringing-inbound.json", "p-30011-answered-inbound.json", "p-30011-bye-inbound.json", "p-30012-cdr-answered-inbound.json" })
        {
            var once = Run(("p-30011-ringing-inbound.json", 0), (fixture, 10));

            Assert.Same(once, Apply(once, fixture, 10));
            Assert.Same(once, Apply(once, fixture, 15));
        }
    }

    [Fact]
    public void Ring_group_call_answered_by_one_phone_marks_the_others_missed()
    {
        var ringing = Run(("p-30011-ringing-inbound-via-queue.json", 0));
        Assert.Equal("6402", ringing.RingGroup);
        Assert.Equal("2010", ringing.Extension);

        var inbound = new PbxCallMember(PbxMemberKind.Inbound, null, "5503301", "6402", "peer-to-41", "PJSIP/trunk-1", PbxMemberStatus.Alert, "6402");
        var state = CallLifecycle.Apply(ringing, Snapshot(inbound, Member(PbxMemberKind.Extension, "2010", PbxMemberStatus.Ring, "6402"), Member(PbxMemberKind.Extension, "2011", PbxMemberStatus.Ring, "6402")), T0.AddSeconds(2), Berlin);
        state = CallLifecycle.Apply(state, Snapshot(inbound with { Status = PbxMemberStatus.Answered }, Member(PbxMemberKind.Extension, "2011", PbxMemberStatus.Answer, "6402")), T0.AddSeconds(9), Berlin);

        Assert.Equal(CallStatus.Answered, state.Status);
        Assert.Equal("2011", state.Extension);
        Assert.Equal(
            [
                new CallLeg("2010", T0, null, T0.AddSeconds(9), CallOutcome.Missed),
                new CallLeg("2011", T0.AddSeconds(2), T0.AddSeconds(9), null, null),
            ],
            state.Legs);

        var stale = CallLifecycle.Apply(state, Snapshot(inbound, Member(PbxMemberKind.Extension, "2010", PbxMemberStatus.Ring, "6402")), T0.AddSeconds(10), Berlin);
        Assert.Equal(2, stale.Legs.Count);
        Assert.Equal(CallStatus.Answered, stale.Status);
    }

    [Fact]
    public void Older_ringing_snapshot_arriving_after_the_answer_does_not_end_the_answering_leg()
    {
        var ringing = Run(("p-30011-ringing-inbound-via-queue.json", 0));
        var inbound = new PbxCallMember(PbxMemberKind.Inbound, null, "5503301", "6402", "peer-to-41", "PJSIP/trunk-1", PbxMemberStatus.Alert, "6402");
        var answered = CallLifecycle.Apply(ringing, Snapshot(inbound with { Status = PbxMemberStatus.Answered }, Member(PbxMemberKind.Extension, "2011", PbxMemberStatus.Answer, "6402")), T0.AddSeconds(9), Berlin);

        var late = Apply(answered, "p-30011-ringing-inbound-via-queue.json", 10);

        Assert.Same(answered, late);
        Assert.Null(late.Legs.Single(l => l.Extension == "2011").EndedAt);
        Assert.Equal("2011", late.Extension);
    }

    [Fact]
    public void Transfer_is_recorded_and_the_extension_follows_when_the_target_answers()
    {
        const string transferCall = "1648865001.300";
        var state = CallLifecycle.Apply(CallState.New(transferCall), YeastarFixtures.Event("p-30011-answered-inbound.json", transferCall), T0, Berlin);
        state = CallLifecycle.Apply(state, YeastarFixtures.Event("p-30013-transfer-inbound.json"), T0.AddSeconds(20), Berlin);

        Assert.Equal(new CallTransfer("2002", "2008", T0.AddSeconds(20), "transfer"), Assert.Single(state.Transfers));
        Assert.Equal("2002", state.Extension);
        Assert.Equal(
            [
                new CallLeg("2002", T0, T0, T0.AddSeconds(20), CallOutcome.Answered),
                new CallLeg("2008", T0.AddSeconds(20), null, null, null),
            ],
            state.Legs);
        Assert.Same(state, CallLifecycle.Apply(state, YeastarFixtures.Event("p-30013-transfer-inbound.json"), T0.AddSeconds(21), Berlin));

        var inbound = new PbxCallMember(PbxMemberKind.Inbound, null, "5503303", "2002", "peer-to-41", "PJSIP/trunk-peer-to-41-endpoint-000000d1", PbxMemberStatus.Answered, null);
        state = CallLifecycle.Apply(state, new CallStatusChanged(transferCall, CallChangeKind.Status, [inbound, Member(PbxMemberKind.Extension, "2008", PbxMemberStatus.Answer)]), T0.AddSeconds(25), Berlin);

        Assert.Equal("2008", state.Extension);
        Assert.Equal(CallStatus.Answered, state.Status);
        Assert.Equal(T0, state.AnsweredAt);
        Assert.Equal(T0.AddSeconds(25), state.Legs[1].AnsweredAt);
    }

    [Fact]
    public void S_series_transfer_without_member_status_rings_the_target()
    {
        const string call = "1571981311.105";
        var state = CallLifecycle.Apply(CallState.New(call), new CallStatusChanged(call, CallChangeKind.Status,
            [Member(PbxMemberKind.Extension, "3000", PbxMemberStatus.Answered), Member(PbxMemberKind.Extension, "2000", PbxMemberStatus.Answer)]), T0, Berlin);

        state = CallLifecycle.Apply(state, YeastarFixtures.Event("s-transfer.json"), T0.AddSeconds(10), Berlin);

        Assert.Equal(new CallTransfer("2000", "1020", T0.AddSeconds(10), "transfer"), Assert.Single(state.Transfers));
        Assert.Contains(state.Legs, l => l.Extension == "1020" && l.EndedAt is null && l.AnsweredAt is null);
    }

    [Fact]
    public void Forward_to_a_mobile_is_recorded_as_a_forward()
    {
        var state = Run(("p-30011-ringing-internal.json", 0));
        var forward = (CallStatusChanged)YeastarFixtures.Event("p-30014-forward.json", CallId);

        state = CallLifecycle.Apply(state, forward, T0.AddSeconds(15), Berlin);

        Assert.Equal(new CallTransfer("2002", "13800000000", T0.AddSeconds(15), "forward"), Assert.Single(state.Transfers));
    }

    [Fact]
    public void S_series_live_call_and_cdr_make_a_missed_inbound_call()
    {
        var state = Run(("s-callstatus-ringing-inbound.json", 0), ("s-newcdr-noanswer-inbound.json", 25));

        Assert.Equal(CallDirection.Inbound, state.Direction);
        Assert.Equal("1023", state.Extension);
        Assert.Equal("2000", state.ExternalNumber);
        Assert.Equal("siptrunk", state.Trunk);
        Assert.Equal(CallOutcome.Missed, state.Outcome);
        Assert.Equal(new CallLeg("1023", T0, null, T0.AddSeconds(25), CallOutcome.Missed), Assert.Single(state.Legs));
    }

    [Fact]
    public void Satisfaction_result_is_kept()
    {
        var state = Run(("p-30011-answered-inbound.json", 0), ("p-30019-satisfaction.json", 50));

        Assert.Equal("1", state.Satisfaction);
    }

    [Fact]
    public void Events_of_other_calls_and_non_call_events_change_nothing()
    {
        var state = Run(("p-30011-ringing-inbound.json", 0));

        Assert.Same(state, CallLifecycle.Apply(state, YeastarFixtures.Event("p-30011-answered-internal.json"), T0.AddSeconds(1), Berlin));
        Assert.Same(state, CallLifecycle.Apply(state, YeastarFixtures.Event("p-30008-extension-ringing.json"), T0.AddSeconds(1), Berlin));
        Assert.Same(state, CallLifecycle.Apply(state, new InformationalPbxEvent("heartbeat response"), T0.AddSeconds(1), Berlin));
    }

    [Fact]
    public void Stuck_answered_call_is_finalized_as_answered_at_its_last_event()
    {
        var state = Run(("p-30011-ringing-inbound.json", 0), ("p-30011-answered-inbound.json", 10));

        var finalized = CallLifecycle.FinalizeWithoutCdr(state, T0.AddHours(3));

        Assert.Equal(CallStatus.Ended, finalized.Status);
        Assert.Equal(CallOutcome.Answered, finalized.Outcome);
        Assert.Equal(T0.AddSeconds(10), finalized.EndedAt);
        Assert.Equal(CallOutcome.Answered, Assert.Single(finalized.Legs).Outcome);
        Assert.Equal((10, 0, 10), (finalized.RingSeconds, finalized.TalkSeconds, finalized.DurationSeconds));
    }

    [Fact]
    public void Cdr_arriving_after_finalization_still_settles_the_call()
    {
        var finalized = CallLifecycle.FinalizeWithoutCdr(Run(("p-30011-ringing-inbound.json", 0), ("p-30011-bye-inbound.json", 5)), T0.AddMinutes(5));

        var state = Apply(finalized, "p-30012-cdr-answered-inbound.json", 400);

        Assert.True(state.HasCdr);
        Assert.Equal(CallOutcome.Answered, state.Outcome);
        Assert.Equal(30, state.TalkSeconds);
    }

    [Fact]
    public void Call_dial_that_first_rings_the_caller_becomes_outbound_when_the_trunk_leg_appears()
    {
        var state = CallLifecycle.Apply(CallState.New(CallId), Snapshot(Member(PbxMemberKind.Extension, "1005", PbxMemberStatus.Ring)), T0, Berlin);
        Assert.Equal(CallDirection.Internal, state.Direction);

        state = Apply(state, "p-30011-ringing-outbound.json", 3);

        Assert.Equal(CallDirection.Outbound, state.Direction);
        Assert.Equal("5503301", state.ExternalNumber);
        Assert.Equal(("1005", "5503301"), (state.From, state.To));
    }

    // Issue 9: live PBXs send "members": null; such a frame must neither be lost nor be read as "every leg has gone".
    [Fact]
    public void Snapshot_without_members_changes_nothing_and_keeps_the_phones_ringing()
    {
        var ringing = Run(("p-30011-ringing-inbound.json", 0));

        var state = CallLifecycle.Apply(ringing, Snapshot(), T0.AddSeconds(3), Berlin);

        Assert.Same(ringing, state);
        Assert.Null(Assert.Single(state.Legs).EndedAt);
        var fresh = CallState.New(CallId);
        Assert.Same(fresh, CallLifecycle.Apply(fresh, new CallStatusChanged(CallId, CallChangeKind.Transfer, []), T0, Berlin));
    }

    [Fact]
    public void Call_failed_without_members_after_ringing_ends_the_call_as_failed_with_its_live_timings()
    {
        var state = Run(("p-30011-ringing-outbound.json", 0));

        state = CallLifecycle.Apply(state, new CallFailed(CallId, "NOT found", []), T0.AddSeconds(4), Berlin);

        Assert.Equal(CallStatus.Ended, state.Status);
        Assert.Equal(CallOutcome.Failed, state.Outcome);
        Assert.Equal("NOT found", state.FailureReason);
        Assert.Equal(CallDirection.Outbound, state.Direction);
        Assert.Equal((4, 0, 4), (state.RingSeconds, state.TalkSeconds, state.DurationSeconds));
        Assert.True(CallLifecycle.IsFinal(state));
    }

    [Fact]
    public void Cdr_with_a_unix_start_needs_no_time_zone()
    {
        var start = new DateTimeOffset(2025, 10, 4, 12, 10, 26, TimeSpan.Zero);
        var cdr = new CallDetailRecord(CallId, PbxTime.AtInstant(start), "89161234567", "2002", 40, 30,
            CdrDisposition.Answered, CdrCallType.Inbound, "trunk", null, null, null, null);

        var state = CallLifecycle.Apply(CallState.New(CallId), cdr, T0, Berlin);

        Assert.Equal(start, state.StartedAt);
        Assert.Equal(start.AddSeconds(10), state.AnsweredAt);
        Assert.Equal(start.AddSeconds(40), state.EndedAt);
    }

    private static CallState Run(params (string Fixture, int Seconds)[] steps)
    {
        var state = CallState.New(CallId);
        foreach (var (fixture, seconds) in steps)
        {
            state = Apply(state, fixture, seconds);
        }

        return state;
    }

    private static CallState Apply(CallState state, string fixture, int seconds) =>
        CallLifecycle.Apply(state, YeastarFixtures.Event(fixture, CallId), T0.AddSeconds(seconds), Berlin);

    private static CallStatusChanged Snapshot(params PbxCallMember[] members) => new(CallId, CallChangeKind.Status, members);

    private static PbxCallMember Member(PbxMemberKind kind, string number, PbxMemberStatus status, string? callPath = null) =>
        new(kind, kind == PbxMemberKind.Extension ? number : null, null, null, null, $"PJSIP/{number}-0001", status, callPath);
}
