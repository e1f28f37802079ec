namespace Telephony.PbxSimulator;

// The simulator's own record of a finished call: ground truth for tests. Direction is inbound|outbound|internal,
// Outcome answered|missed|busy|failed; times are simulated; To is the ring group number for a missed ring-group call;
// Recording is the recording's file name as its CDR names it, null when the call was not recorded.
// Queue calls only (null otherwise): Queue is the queue number, QueueWaitSeconds the time from entering the queue to
// the answer or the caller's hang-up, MissedByAgents the agents whose ringing timed out (30026), in order.
public sealed record SimulatedCall(
    string CallId,
    string Direction,
    string From,
    string To,
    string Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    int RingSeconds,
    int TalkSeconds,
    string? AnsweredBy,
    string? Recording = null,
    string? Queue = null,
    int? QueueWaitSeconds = null,
    IReadOnlyList<string>? MissedByAgents = null);
