using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Telephony.PbxSimulator.Recordings;

namespace Telephony.PbxSimulator.Engine;

// Runs calls in simulated time and emits the documented events: 30011 full member snapshots on every leg change,
// 30008 for extensions whose state changes, 30015 for failed calls and 30012 after the last leg hangs up (Part C.6).
internal sealed partial class CallEngine
{
    // A9 call/dial leaves the caller's own answer time to the phone; a short pause stands in for a human picking up.
    private static readonly TimeSpan ManualAnswerDelay = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private readonly SimClock _clock;
    private readonly PbxSimulatorOptions _options;
    private readonly EventHub _hub;
    private readonly LockedRandom _random;
    private readonly RecordingStore _recordings;
    private readonly TimeZoneInfo _zone;
    private readonly CancellationToken _stopping;
    private readonly HashSet<string> _extensions;
    private readonly Dictionary<string, ActiveCall> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _busyExtensions = new(StringComparer.Ordinal);
    private readonly List<CdrRecord> _cdrs = [];
    private readonly List<SimulatedCall> _completed = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _completions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private long _callSequence;
    private long _channelSequence;

    public CallEngine(SimClock clock, PbxSimulatorOptions options, EventHub hub, LockedRandom random, RecordingStore recordings, CancellationToken stopping)
    {
        _clock = clock;
        _options = options;
        _hub = hub;
        _random = random;
        _recordings = recordings;
        _stopping = stopping;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        _extensions = new HashSet<string>(options.Extensions, StringComparer.Ordinal);
        _queues = options.Queues.ToDictionary(q => q.Number, q => new QueueState(q), StringComparer.Ordinal);

        // Real PBXs show sequences in the hundreds (e.g. "1648861726.280"); start somewhere plausible.
        _callSequence = random.Next(100, 900);
        _channelSequence = random.Next(0x20, 0x200);
    }

    public IReadOnlyList<SimulatedCall> Completed
    {
        get
        {
            lock (_gate)
            {
                return [.. _completed];
            }
        }
    }

    public IReadOnlyList<CdrRecord> Cdrs
    {
        get
        {
            lock (_gate)
            {
                return [.. _cdrs];
            }
        }
    }

    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime;

    public DateTimeOffset FromLocal(DateTime local) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone), TimeSpan.Zero);

    public bool IsExtension(string number) => _extensions.Contains(number);

    public IReadOnlyList<string> IdleExtensions()
    {
        lock (_gate)
        {
            return [.. _options.Extensions.Where(e => !_busyExtensions.Contains(e))];
        }
    }

    public string StartInbound(string externalNumber, string extension, TimeSpan ringFor, TimeSpan? talkFor, bool record)
    {
        RequireExtension(extension);
        lock (_gate)
        {
            var call = CreateLocked("inbound", externalNumber, extension, [extension], record);
            var inbound = AddTrunkLocked(call, MemberKind.Inbound, externalNumber, extension, MemberStatus.Alert, string.Empty);
            var ringing = AddExtensionLocked(call, extension, MemberStatus.Ring, string.Empty);
            Emit30011Locked(call);
            Emit30008Locked(extension, "Ringing");
            Run(call, () => InboundAsync(call, inbound, [ringing], talkFor is null ? null : ringing, ringFor, talkFor));
            return call.Id;
        }
    }

    public string StartInboundRingGroup(
        string externalNumber, IReadOnlyList<string> extensions, string ringGroupNumber, TimeSpan ringFor, string? answeredBy, TimeSpan? talkFor, bool record)
    {
        if (extensions.Count == 0)
        {
            throw new ArgumentException("A ring group needs at least one extension.", nameof(extensions));
        }

        foreach (var extension in extensions)
        {
            RequireExtension(extension);
        }

        if (answeredBy is not null && !extensions.Contains(answeredBy, StringComparer.Ordinal))
        {
            throw new ArgumentException("answeredBy must be one of the ring group extensions.", nameof(answeredBy));
        }

        lock (_gate)
        {
            var call = CreateLocked("inbound", externalNumber, ringGroupNumber, extensions, record);

            // A8.1: call_path carries the ring group number on every member when the call passes through it.
            var inbound = AddTrunkLocked(call, MemberKind.Inbound, externalNumber, ringGroupNumber, MemberStatus.Alert, ringGroupNumber);
            var ringing = extensions.Select(e => AddExtensionLocked(call, e, MemberStatus.Ring, ringGroupNumber)).ToList();
            Emit30011Locked(call);
            foreach (var extension in extensions)
            {
                Emit30008Locked(extension, "Ringing");
            }

            var answerer = answeredBy is null || talkFor is null ? null : ringing.First(m => m.Number == answeredBy);
            Run(call, () => InboundAsync(call, inbound, ringing, answerer, ringFor, talkFor));
            return call.Id;
        }
    }

    public string StartOutbound(string extension, string externalNumber, TimeSpan ringFor, TimeSpan? talkFor, bool busy, bool record)
    {
        RequireExtension(extension);
        lock (_gate)
        {
            var call = CreateLocked("outbound", extension, externalNumber, [extension], record);
            var caller = AddExtensionLocked(call, extension, MemberStatus.Alert, string.Empty);
            var callee = AddTrunkLocked(call, MemberKind.Outbound, extension, externalNumber, MemberStatus.Ring, string.Empty);
            Emit30011Locked(call);
            Emit30008Locked(extension, "Busy");
            Run(call, () => TwoPartyAsync(call, caller, callee, ringFor, talkFor, busy));
            return call.Id;
        }
    }

    // An outbound call to a number the PBX cannot route: it fails at once with the 30015 live PBXs send,
    // {"call_id":…,"reason":"NOT found","members":null} (Captures/p-30015-members-null.json). No 30012 follows (A8.2 does
    // not list FAILED for 30012), but CDR queries have the FAILED row (A11.1), which is all a backfill can find.
    public string StartUnroutable(string extension, string externalNumber)
    {
        RequireExtension(extension);
        lock (_gate)
        {
            var call = CreateLocked("outbound", extension, externalNumber, [extension], record: false);
            AddExtensionLocked(call, extension, MemberStatus.Alert, string.Empty);
            AddTrunkLocked(call, MemberKind.Outbound, extension, externalNumber, MemberStatus.Ring, string.Empty);
            Emit30011Locked(call);
            foreach (var member in call.Members)
            {
                member.Status = MemberStatus.Bye;
            }

            _hub.Publish(30015, new JsonObject { ["call_id"] = call.Id, ["reason"] = "NOT found", ["members"] = null });
            Emit30011Locked(call);
            CompleteLocked(call, "failed", "FAILED", liveCdr: false);
            return call.Id;
        }
    }

    public string StartInternal(string fromExtension, string toExtension, TimeSpan ringFor, TimeSpan? talkFor, bool record)
    {
        RequireExtension(fromExtension);
        RequireExtension(toExtension);
        if (string.Equals(fromExtension, toExtension, StringComparison.Ordinal))
        {
            throw new ArgumentException("An internal call needs two different extensions.", nameof(toExtension));
        }

        lock (_gate)
        {
            var call = CreateLocked("internal", fromExtension, toExtension, [fromExtension, toExtension], record);
            var caller = AddExtensionLocked(call, fromExtension, MemberStatus.Alert, string.Empty);
            var callee = AddExtensionLocked(call, toExtension, MemberStatus.Ring, string.Empty);
            Emit30011Locked(call);
            Emit30008Locked(fromExtension, "Busy");
            Emit30008Locked(toExtension, "Ringing");
            Run(call, () => TwoPartyAsync(call, caller, callee, ringFor, talkFor, busy: false));
            return call.Id;
        }
    }

    // call/dial (A9): rings the caller extension first and dials the callee once it answers. Returns null when the
    // caller is not an extension of this PBX.
    public string? Dial(string caller, string callee, bool autoAnswer)
    {
        if (!IsExtension(caller))
        {
            return null;
        }

        lock (_gate)
        {
            var internalCall = IsExtension(callee);
            var call = CreateLocked(internalCall ? "internal" : "outbound", caller, callee, [], record: false);
            if (!_busyExtensions.Add(caller))
            {
                // The caller's phone is already in a call: fail asynchronously as A9 describes for call/dial.
                AddExtensionLocked(call, caller, MemberStatus.Bye, string.Empty);
                Run(call, () =>
                {
                    lock (_gate)
                    {
                        FailLocked(call, "User Busy", "busy", "BUSY");
                    }

                    return Task.CompletedTask;
                });
                return call.Id;
            }

            call.ReservedExtensions.Add(caller);

            // The status of a caller extension being rung by call/dial is UNKNOWN (A8.1); RING ("the callee is in the
            // ringing state") describes it best.
            var callerLeg = AddExtensionLocked(call, caller, MemberStatus.Ring, string.Empty);
            Emit30011Locked(call);
            Emit30008Locked(caller, "Ringing");
            Run(call, () => DialAsync(call, callerLeg, callee, internalCall, autoAnswer));
            return call.Id;
        }
    }

    // call/hangup: hangs up the member (which ends the call); null when no member has that channel.
    public string? Hangup(string channelId)
    {
        ActiveCall? target = null;
        lock (_gate)
        {
            foreach (var call in _active.Values)
            {
                var member = call.Members.Find(m => string.Equals(m.ChannelId, channelId, StringComparison.Ordinal));
                if (member is not null)
                {
                    call.HangupMember ??= member;
                    target = call;
                    break;
                }
            }
        }

        if (target is null)
        {
            return null;
        }

        // Cancel outside the lock: awaiting flows may resume inline on this thread.
        try
        {
            target.HangupSource.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended on its own between the lookup and the cancel.
        }

        return target.Id;
    }

    // call/query (A9): active calls filtered by call_id, type or extension.
    public IReadOnlyList<JsonObject> Query(string? callId, string? type, string? extension)
    {
        lock (_gate)
        {
            return [.. _active.Values
                .Where(c => callId is null || string.Equals(c.Id, callId, StringComparison.Ordinal))
                .Where(c => type is null || string.Equals(c.Direction, type, StringComparison.OrdinalIgnoreCase))
                .Where(c => extension is null || c.Members.Exists(m =>
                    m.Kind == MemberKind.Extension && string.Equals(m.Number, extension, StringComparison.Ordinal)))
                .Select(c => c.Snapshot())];
        }
    }

    public Task WhenCompletedAsync(string callId, CancellationToken cancellationToken)
    {
        if (!_completions.TryGetValue(callId, out var completion))
        {
            throw new ArgumentException($"Unknown call_id '{callId}'.", nameof(callId));
        }

        return completion.Task.WaitAsync(cancellationToken);
    }

    public async Task DrainAsync()
    {
        foreach (var task in _running.Keys)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // Flows end by cancellation when the simulator stops.
            }
        }
    }

    private async Task InboundAsync(
        ActiveCall call, CallMember inbound, List<CallMember> ringing, CallMember? answerer, TimeSpan ringFor, TimeSpan? talkFor)
    {
        var rangOut = await WaitAsync(call, ringFor);
        if (!rangOut || answerer is null || talkFor is null)
        {
            // The caller gave up while ringing (or a channel was hung up through the API).
            Finish(call, call.HangupMember ?? inbound, "missed", "NO ANSWER");
            return;
        }

        lock (_gate)
        {
            foreach (var loser in ringing.Where(m => m != answerer))
            {
                loser.Status = MemberStatus.Bye;
            }

            answerer.Status = MemberStatus.Answer;
            inbound.Status = MemberStatus.Answered;
            call.AnsweredAfter = call.Elapsed;
            call.AnsweredBy = answerer.Number;
            call.To = answerer.Number;
            Emit30011Locked(call);
            call.Members.RemoveAll(m => m.Status == MemberStatus.Bye);
            foreach (var loser in ringing.Where(m => m != answerer))
            {
                ReleaseLocked(call, loser.Number);
            }

            Emit30008Locked(answerer.Number, "Busy");
        }

        await WaitAsync(call, talkFor.Value);
        Finish(call, call.HangupMember ?? answerer, "answered", "ANSWERED");
    }

    private async Task TwoPartyAsync(ActiveCall call, CallMember caller, CallMember callee, TimeSpan ringFor, TimeSpan? talkFor, bool busy)
    {
        var rangOut = await WaitAsync(call, ringFor);
        if (rangOut && busy)
        {
            lock (_gate)
            {
                // p-30015-call-failed-busy.json: both legs BYE with reason "486 Busy here"; CDR status BUSY.
                FailLocked(call, "486 Busy here", "busy", "BUSY");
            }

            return;
        }

        if (!rangOut || talkFor is null)
        {
            Finish(call, call.HangupMember ?? caller, "missed", "NO ANSWER");
            return;
        }

        Answer(call, caller, callee);
        await WaitAsync(call, talkFor.Value);
        Finish(call, call.HangupMember ?? callee, "answered", "ANSWERED");
    }

    private async Task DialAsync(ActiveCall call, CallMember callerLeg, string callee, bool internalCall, bool autoAnswer)
    {
        if (!await WaitAsync(call, autoAnswer ? TimeSpan.Zero : ManualAnswerDelay))
        {
            Finish(call, call.HangupMember ?? callerLeg, "missed", "NO ANSWER");
            return;
        }

        CallMember calleeLeg;
        lock (_gate)
        {
            callerLeg.Status = MemberStatus.Alert;
            if (internalCall)
            {
                if (!_busyExtensions.Add(callee))
                {
                    FailLocked(call, "User Busy", "busy", "BUSY");
                    return;
                }

                call.ReservedExtensions.Add(callee);
                calleeLeg = AddExtensionLocked(call, callee, MemberStatus.Ring, string.Empty);
            }
            else
            {
                calleeLeg = AddTrunkLocked(call, MemberKind.Outbound, callerLeg.Number, callee, MemberStatus.Ring, string.Empty);
            }

            Emit30011Locked(call);
            Emit30008Locked(callerLeg.Number, "Busy");
            if (internalCall)
            {
                Emit30008Locked(callee, "Ringing");
            }
        }

        if (!await WaitAsync(call, _random.NextSeconds(3, 10)))
        {
            Finish(call, call.HangupMember ?? callerLeg, "missed", "NO ANSWER");
            return;
        }

        Answer(call, callerLeg, calleeLeg);
        await WaitAsync(call, _random.NextSeconds(20, 240));
        Finish(call, call.HangupMember ?? calleeLeg, "answered", "ANSWERED");
    }

    private void Answer(ActiveCall call, CallMember caller, CallMember callee)
    {
        lock (_gate)
        {
            caller.Status = MemberStatus.Answered;
            callee.Status = MemberStatus.Answer;
            call.AnsweredAfter = call.Elapsed;
            if (callee.Kind == MemberKind.Extension)
            {
                call.AnsweredBy = callee.Number;
            }

            Emit30011Locked(call);
            if (callee.Kind == MemberKind.Extension)
            {
                Emit30008Locked(callee.Number, "Busy");
            }
        }
    }

    // Waits simulated time; false when a channel of the call was hung up through the API.
    private async Task<bool> WaitAsync(ActiveCall call, TimeSpan duration)
    {
        var token = call.HangupSource.Token;
        if (token.IsCancellationRequested)
        {
            _stopping.ThrowIfCancellationRequested();
            return false;
        }

        var started = _clock.UtcNow;
        try
        {
            await _clock.Delay(duration, token);
            call.Elapsed += duration;
            return true;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            var waited = _clock.UtcNow - started;
            call.Elapsed += waited < TimeSpan.Zero ? TimeSpan.Zero : waited > duration ? duration : waited;
            return false;
        }
    }

    private void Finish(ActiveCall call, CallMember firstToHangUp, string outcome, string cdrStatus)
    {
        lock (_gate)
        {
            if (call.IsFinished)
            {
                return;
            }

            // One snapshot with the leg that hung up as BYE, then the remaining legs as BYE
            // (p-30011-bye-inbound.json shows the last remaining leg alone).
            firstToHangUp.Status = MemberStatus.Bye;
            Emit30011Locked(call);
            call.Members.Remove(firstToHangUp);
            if (call.Members.Count > 0)
            {
                foreach (var member in call.Members)
                {
                    member.Status = MemberStatus.Bye;
                }

                Emit30011Locked(call);
            }

            CompleteLocked(call, outcome, cdrStatus);
        }
    }

    private void FailLocked(ActiveCall call, string reason, string outcome, string cdrStatus)
    {
        if (call.IsFinished)
        {
            return;
        }

        foreach (var member in call.Members)
        {
            member.Status = MemberStatus.Bye;
        }

        // A8.3: msg = {call_id, reason, members[]}.
        var msg = call.Snapshot();
        var members = msg["members"];
        msg.Remove("members");
        msg["reason"] = reason;
        msg["members"] = members;
        _hub.Publish(30015, msg);
        Emit30011Locked(call);
        CompleteLocked(call, outcome, cdrStatus);
    }

    // liveCdr false keeps the CDR for cdr/search only, with no 30012 event.
    private void CompleteLocked(ActiveCall call, string outcome, string cdrStatus, bool liveCdr = true)
    {
        call.IsFinished = true;
        call.Members.Clear();
        foreach (var extension in call.ReservedExtensions.ToList())
        {
            ReleaseLocked(call, extension);
        }

        _active.Remove(call.Id);

        var ring = call.AnsweredAfter ?? call.Elapsed;
        var talk = call.AnsweredAfter is { } answeredAfter ? call.Elapsed - answeredAfter : TimeSpan.Zero;
        var ringSeconds = (int)Math.Round(ring.TotalSeconds);
        var talkSeconds = (int)Math.Round(talk.TotalSeconds);
        var answeredAt = call.AnsweredAfter is { } after ? call.StartedAt + after : (DateTimeOffset?)null;
        var endedAt = call.StartedAt + call.Elapsed;
        var localStart = ToLocal(call.StartedAt);

        // A8.2: agent_ring_time counts from entering the queue (the call's start: no IVR in front) to the agent's answer.
        var agentRingTime = call.Queue is not null && call.AnsweredAfter is not null ? ringSeconds : 0;
        var recording = StoreCdrLocked(call, cdrStatus, liveCdr, ringSeconds, talkSeconds, answeredAt, localStart, agentRingTime);

        _completed.Add(new SimulatedCall(
            call.Id,
            call.Direction,
            call.From,
            call.To,
            outcome,
            call.StartedAt,
            answeredAt,
            endedAt,
            ringSeconds,
            talkSeconds,
            call.AnsweredBy,
            recording,
            call.Queue,
            call.Queue is null ? null : ringSeconds,
            call.Queue is null ? null : [.. call.MissedByAgents]));

        if (_completions.TryGetValue(call.Id, out var completion))
        {
            completion.TrySetResult();
        }
    }

    // The recording's file name, or null when the call was not recorded.
    private string? StoreCdrLocked(
        ActiveCall call, string cdrStatus, bool live, int ringSeconds, int talkSeconds, DateTimeOffset? answeredAt, DateTime localStart, int agentRingTime)
    {
        // Recording names follow the fixtures: {answer time, PBX local}-{call_id}-{from}-{to}-{Type}.wav (the recording
        // starts at the answer: A8.2's example is 9 s after its call_id's start); empty when not recorded or unanswered.
        var recording = call.Record && answeredAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{ToLocal(at):yyyyMMddHHmmss}-{call.Id}-{call.From}-{call.To}-{call.CdrType}.wav")
            : string.Empty;
        if (recording.Length > 0)
        {
            _recordings.Add(recording, call.Id, TimeSpan.FromSeconds(talkSeconds));
        }

        // uid as in the fixtures: local start yyyyMMddHHmmss + 5 upper-case hex digits.
        var uid = string.Create(CultureInfo.InvariantCulture, $"{localStart:yyyyMMddHHmmss}{_random.Next(0, 0x100000):X5}");
        var cdr = new CdrRecord(
            _cdrs.Count + 1,
            call.Id,
            call.StartedAt,
            localStart,
            call.From,
            call.To,
            ringSeconds + talkSeconds,
            ringSeconds,
            talkSeconds,
            call.Direction == "inbound" ? _options.TrunkName : string.Empty,
            call.Direction == "outbound" ? _options.TrunkName : string.Empty,
            cdrStatus,
            call.CdrType,
            recording,
            uid,
            agentRingTime);
        _cdrs.Add(cdr);
        if (live)
        {
            _hub.Publish(30012, cdr.ToEventMsg());
        }

        return recording.Length > 0 ? recording : null;
    }

    private ActiveCall CreateLocked(string direction, string from, string to, IReadOnlyCollection<string> extensions, bool record, string? queue = null)
    {
        // Never two concurrent calls on one extension: scripted callers must pick idle extensions.
        var busy = extensions.FirstOrDefault(_busyExtensions.Contains);
        if (busy is not null)
        {
            throw new InvalidOperationException($"Extension {busy} is already in a call.");
        }

        var now = _clock.UtcNow;

        // A8.1: call_id = "<unix-seconds>.<seq>".
        var id = string.Create(CultureInfo.InvariantCulture, $"{now.ToUnixTimeSeconds()}.{++_callSequence}");
        var call = new ActiveCall(id, direction, from, to, now, _stopping) { Record = record || DrawRecording(), Queue = queue };
        foreach (var extension in extensions)
        {
            _busyExtensions.Add(extension);
            call.ReservedExtensions.Add(extension);
        }

        _active[id] = call;
        _completions[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return call;
    }

    // RecordingShare of calls are recorded. No draw at 0 or 1, so seeded runs without recordings keep their sequence.
    private bool DrawRecording() => _options.RecordingShare switch
    {
        <= 0 => false,
        >= 1 => true,
        var share => _random.NextDouble() < share,
    };

    private CallMember AddExtensionLocked(ActiveCall call, string number, string status, string callPath)
    {
        var member = new CallMember
        {
            Kind = MemberKind.Extension,
            Number = number,
            ChannelId = string.Create(CultureInfo.InvariantCulture, $"PJSIP/{number}-{++_channelSequence:x8}"),
            Status = status,
            CallPath = callPath,
        };
        call.Members.Add(member);
        return member;
    }

    private CallMember AddTrunkLocked(ActiveCall call, MemberKind kind, string from, string to, string status, string callPath)
    {
        var member = new CallMember
        {
            Kind = kind,
            From = from,
            To = to,
            TrunkName = _options.TrunkName,
            ChannelId = string.Create(CultureInfo.InvariantCulture, $"PJSIP/trunk-{_options.TrunkName}-endpoint-{++_channelSequence:x8}"),
            Status = status,
            CallPath = callPath,
        };
        call.Members.Add(member);
        return member;
    }

    private void ReleaseLocked(ActiveCall call, string extension)
    {
        if (call.ReservedExtensions.Remove(extension))
        {
            _busyExtensions.Remove(extension);
            Emit30008Locked(extension, "Idle");
        }
    }

    private void Emit30011Locked(ActiveCall call) => _hub.Publish(30011, call.Snapshot());

    private void Emit30008Locked(string extension, string status) =>
        _hub.Publish(30008, new JsonObject { ["extension"] = extension, ["status"] = status });

    private void RequireExtension(string extension)
    {
        if (!IsExtension(extension))
        {
            throw new ArgumentException($"'{extension}' is not an extension of this PBX.", nameof(extension));
        }
    }

    private void Run(ActiveCall call, Func<Task> flow)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await flow();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                if (_completions.TryGetValue(call.Id, out var completion))
                {
                    completion.TrySetCanceled(_stopping);
                }
            }
            finally
            {
                call.Dispose();
            }
        });
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
