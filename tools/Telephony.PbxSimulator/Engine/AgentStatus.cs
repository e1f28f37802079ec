namespace Telephony.PbxSimulator.Engine;

// 30029 status values (A7: "e.g. Paused; full enum UNKNOWN").
internal static class AgentStatus
{
    // Documented in the 30029 example (p-30029-agent-status-changed.json).
    public const string Paused = "Paused";

    // UNKNOWN: the docs give no unpause value. Derived: the counterpart of the documented "Paused", as Yeastar's own
    // queue panel words it (pause / unpause); a client should treat any status other than "Paused" as not paused.
    public const string Unpaused = "Unpaused";

    // UNKNOWN: the reason an auto pause reports in 30029 is not documented (the example's "Lunch" is a manual pause).
    // Derived: the feature's name, "Auto Pause" (the 30025 page title is "Agent Auto Pause").
    public const string AutoPauseReason = "Auto Pause";
}
