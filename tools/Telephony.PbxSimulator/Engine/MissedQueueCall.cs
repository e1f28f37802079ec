namespace Telephony.PbxSimulator.Engine;

// One ringing timeout counted toward an agent's auto pause: a 30025 calls[] item {caller_number, call_id}.
internal sealed record MissedQueueCall(string CallerNumber, string CallId);
