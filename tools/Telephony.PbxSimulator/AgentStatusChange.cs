namespace Telephony.PbxSimulator;

// The simulator's record of one agent pause or unpause it reported (ground truth for tests). Status is the 30029 status
// ("Paused" or "Unpaused"); Automatic marks an auto pause after ringing timeouts (30025 / QueueAutoPause were sent too),
// whose MissedCallIds are the call_id of each consecutive timeout in order; empty for pauses by the scenario.
public sealed record AgentStatusChange(
    DateTimeOffset At,
    string Queue,
    string Agent,
    string Status,
    string Reason,
    bool Automatic,
    IReadOnlyList<string> MissedCallIds);
