using System.Text.Json.Nodes;

namespace Telephony.PbxSimulator.Engine;

// Queue calls and agent pauses (api.md A7 30025/30026/30029, A8.1 call_path, A8.2 agent_ring_time, B3 QueueAutoPause).
// A part of CallEngine because a queue call is one more call flow over the same lock, legs and CDR writer.
internal sealed partial class CallEngine
{
    // Derived: how often a caller waiting with every agent paused or busy is offered to the agents again.
    private static readonly TimeSpan QueueRetryInterval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, QueueState> _queues;
    private readonly List<AgentStatusChange> _agentStatusChanges = [];

    public IReadOnlyList<AgentStatusChange> AgentStatusChanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _agentStatusChanges];
            }
        }
    }

    public IReadOnlyCollection<string> QueueNumbers => _queues.Keys;

    // Agents of a queue paused now, with the simulated time their pause began.
    public IReadOnlyDictionary<string, DateTimeOffset> PausedAgents(string queueNumber)
    {
        lock (_gate)
        {
            return new Dictionary<string, DateTimeOffset>(Queue(queueNumber).PausedSince, StringComparer.Ordinal);
        }
    }

    // The caller waits in the queue for at most maxWait, then hangs up (abandoned). Agents ring one at a time (linear);
    // the first ringTimeouts agents rung let it ring for the queue's AgentRingTimeout (30026 each), then the next agent
    // answers after answerAfterRinging and talks for talkFor. Null answerAfterRinging or talkFor: no agent answers.
    public string StartInboundQueue(
        string externalNumber, string queueNumber, TimeSpan maxWait, int ringTimeouts, TimeSpan? answerAfterRinging, TimeSpan? talkFor, bool record)
    {
        var queue = Queue(queueNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(ringTimeouts);
        if (answerAfterRinging is { } answerAfter && (answerAfter < TimeSpan.Zero || answerAfter >= queue.Options.AgentRingTimeout))
        {
            throw new ArgumentOutOfRangeException(nameof(answerAfterRinging), answerAfter, "An agent answers before the queue's agent ring timeout.");
        }

        lock (_gate)
        {
            var call = CreateLocked("inbound", externalNumber, queue.Number, [], record, queue.Number);

            // A8.1 and p-30011-ringing-inbound-via-queue.json: call_path is the queue number on every member.
            var inbound = AddTrunkLocked(call, MemberKind.Inbound, externalNumber, queue.Number, MemberStatus.Alert, queue.Number);
            var agent = RingNextAgentLocked(call, queue, previous: null);
            Emit30011Locked(call);
            if (agent is not null)
            {
                Emit30008Locked(agent.Number, "Ringing");
            }

            var plan = new QueuePlan(maxWait, ringTimeouts, answerAfterRinging is not null && talkFor is not null ? answerAfterRinging : null, talkFor);
            Run(call, () => QueueAsync(call, queue, inbound, agent, plan));
            return call.Id;
        }
    }

    // A pause by the agent or a supervisor: 30029 with status "Paused" and the reason. False when already paused.
    public bool PauseAgent(string queueNumber, string agent, string reason)
    {
        lock (_gate)
        {
            var queue = QueueWithAgent(queueNumber, agent);
            if (!queue.Pause(agent, reason, _clock.UtcNow))
            {
                return false;
            }

            EmitAgentStatusLocked(queue, agent, AgentStatus.Paused, reason, automatic: false, []);
            return true;
        }
    }

    // Unpause (manual or auto pause alike): 30029 with status "Unpaused" (UNKNOWN value, see AgentStatus). False when not paused.
    public bool UnpauseAgent(string queueNumber, string agent)
    {
        lock (_gate)
        {
            var queue = QueueWithAgent(queueNumber, agent);
            if (!queue.Unpause(agent))
            {
                return false;
            }

            // UNKNOWN: what reason an unpause reports; Derived: none.
            EmitAgentStatusLocked(queue, agent, AgentStatus.Unpaused, string.Empty, automatic: false, []);
            return true;
        }
    }

    private async Task QueueAsync(ActiveCall call, QueueState queue, CallMember inbound, CallMember? ringing, QueuePlan plan)
    {
        var timeouts = 0;
        string? previous = ringing?.Number;
        while (true)
        {
            var left = plan.MaxWait - call.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                // The caller gave up waiting (abandoned in queue); a ringing agent's leg ends with the call.
                Finish(call, inbound, "missed", "NO ANSWER");
                return;
            }

            if (ringing is null)
            {
                // Every agent paused or busy: the caller hears the queue's hold music until one is free.
                if (!await WaitAsync(call, Min(QueueRetryInterval, left)))
                {
                    Finish(call, call.HangupMember ?? inbound, "missed", "NO ANSWER");
                    return;
                }

                lock (_gate)
                {
                    ringing = RingNextAgentLocked(call, queue, previous);
                    if (ringing is not null)
                    {
                        previous = ringing.Number;
                        Emit30011Locked(call);
                        Emit30008Locked(ringing.Number, "Ringing");
                    }
                }

                continue;
            }

            var answers = timeouts >= plan.RingTimeouts && plan.AnswerAfterRinging is not null;
            var ringFor = answers ? plan.AnswerAfterRinging!.Value : queue.Options.AgentRingTimeout;
            var step = Min(ringFor, left);
            if (!await WaitAsync(call, step))
            {
                Finish(call, call.HangupMember ?? inbound, "missed", "NO ANSWER");
                return;
            }

            if (step < ringFor)
            {
                continue;
            }

            if (answers)
            {
                AnswerQueue(call, queue, inbound, ringing);
                await WaitAsync(call, plan.TalkFor!.Value);
                Finish(call, call.HangupMember ?? ringing, "answered", "ANSWERED");
                return;
            }

            timeouts++;
            lock (_gate)
            {
                if (call.IsFinished)
                {
                    return;
                }

                RingTimeoutLocked(call, queue, ringing);
                ringing = RingNextAgentLocked(call, queue, previous);
                if (ringing is not null)
                {
                    previous = ringing.Number;
                    Emit30011Locked(call);
                    Emit30008Locked(ringing.Number, "Ringing");
                }
            }
        }
    }

    // Adds the next free, unpaused agent's RING leg (reserving the extension); null when none is free.
    private CallMember? RingNextAgentLocked(ActiveCall call, QueueState queue, string? previous)
    {
        var agent = queue.NextAgent(previous, a => !_busyExtensions.Contains(a));
        if (agent is null)
        {
            return null;
        }

        _busyExtensions.Add(agent);
        call.ReservedExtensions.Add(agent);
        return AddExtensionLocked(call, agent, MemberStatus.Ring, queue.Number);
    }

    // The agent's ringing ends unanswered: 30026, its leg goes BYE, and after enough consecutive timeouts the PBX
    // pauses it (30025 — S-Series QueueAutoPause — then 30029).
    private void RingTimeoutLocked(ActiveCall call, QueueState queue, CallMember agent)
    {
        call.MissedByAgents.Add(agent.Number);

        // p-30026-agent-ringing-timeout.json: queue_number is the bare number here, and the frame has no sn.
        _hub.Publish(30026, new JsonObject
        {
            ["queue_number"] = queue.Number,
            ["agent_number"] = agent.Number,
            ["caller_number"] = call.From,
            ["call_id"] = call.Id,
        });

        agent.Status = MemberStatus.Bye;
        Emit30011Locked(call);
        call.Members.Remove(agent);
        ReleaseLocked(call, agent.Number);

        var run = queue.RecordTimeout(agent.Number, new MissedQueueCall(call.From, call.Id), _clock.UtcNow);
        if (run is null)
        {
            return;
        }

        // A7 30025: {queue_number, agent_number, calls[] {caller_number, call_id}}, an object msg without sn. Derived:
        // one calls[] item per counted timeout (the same call twice if it rang the agent twice), oldest first.
        _hub.Publish(30025, new JsonObject
        {
            ["queue_number"] = queue.Number,
            ["agent_number"] = agent.Number,
            ["calls"] = new JsonArray([.. run.Select(m => (JsonNode)new JsonObject { ["caller_number"] = m.CallerNumber, ["call_id"] = m.CallId })]),
        });
        EmitAgentStatusLocked(queue, agent.Number, AgentStatus.Paused, AgentStatus.AutoPauseReason, automatic: true, [.. run.Select(m => m.CallId)]);
    }

    private void AnswerQueue(ActiveCall call, QueueState queue, CallMember inbound, CallMember agent)
    {
        lock (_gate)
        {
            if (call.IsFinished)
            {
                return;
            }

            agent.Status = MemberStatus.Answer;
            inbound.Status = MemberStatus.Answered;
            call.AnsweredAfter = call.Elapsed;
            call.AnsweredBy = agent.Number;

            // As for ring groups: the CDR's call_to is the callee that answered (A8.2 "callee number"), the queue number
            // while no agent did (cdr/list shows a queue as a party, "Queue Emergency<6400>", A11.1).
            call.To = agent.Number;
            queue.RecordAnswer(agent.Number);
            Emit30011Locked(call);
            Emit30008Locked(agent.Number, "Busy");
        }
    }

    // A7 30029: {queue_number "queue-6402", agent_number, status, reason}, an object msg; the example frame carries sn.
    // S-Series has no documented equivalent, so SSeriesJson sends nothing for it.
    private void EmitAgentStatusLocked(QueueState queue, string agent, string status, string reason, bool automatic, IReadOnlyList<string> missedCallIds)
    {
        _agentStatusChanges.Add(new AgentStatusChange(_clock.UtcNow, queue.Number, agent, status, reason, automatic, missedCallIds));
        _hub.Publish(30029, new JsonObject
        {
            ["queue_number"] = queue.StatusQueueNumber,
            ["agent_number"] = agent,
            ["status"] = status,
            ["reason"] = reason,
        });
    }

    private QueueState Queue(string queueNumber) =>
        _queues.TryGetValue(queueNumber, out var queue)
            ? queue
            : throw new ArgumentException($"'{queueNumber}' is not a queue of this PBX.", nameof(queueNumber));

    private QueueState QueueWithAgent(string queueNumber, string agent)
    {
        var queue = Queue(queueNumber);
        return queue.IsAgent(agent) ? queue : throw new ArgumentException($"'{agent}' is not an agent of queue {queueNumber}.", nameof(agent));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record QueuePlan(TimeSpan MaxWait, int RingTimeouts, TimeSpan? AnswerAfterRinging, TimeSpan? TalkFor);
}
