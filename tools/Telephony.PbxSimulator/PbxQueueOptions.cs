namespace Telephony.PbxSimulator;

// One call queue of the simulated PBX (api.md A7 30025/30026/30029, A8.1 call_path, A8.2 agent_ring_time).
// Strategy: linear — every caller rings the first free, unpaused agent in Agents order, then the next one after each
// ringing timeout, wrapping around until the caller is answered or hangs up (Yeastar's "Linear" ring strategy; the
// simulator does not model the other strategies).
public sealed class PbxQueueOptions
{
    // Queue number: the members' call_path and the CDR call_to of an unanswered queue call.
    public string Number { get; set; } = "6400";

    // Agent extensions, in ring order; each must be an extension of the PBX.
    public IReadOnlyList<string> Agents { get; set; } = [];

    // How long one agent rings before the queue gives up on it (30026) and rings the next; simulated time. Yeastar's
    // default is not in api.md, so this is a plausible setting, not a documented value.
    public TimeSpan AgentRingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    // Consecutive ringing timeouts after which the PBX pauses the agent (30025 / QueueAutoPause); 0 turns auto pause off.
    public int RingTimeoutsBeforeAutoPause { get; set; } = 2;
}
