namespace Telephony.PbxSimulator.Engine;

// A queue's live agent state: who is paused (and why), and each agent's run of consecutive ringing timeouts.
// Mutated only under the call engine's lock.
internal sealed class QueueState
{
    private readonly Dictionary<string, string> _pausedReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pausedSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MissedQueueCall>> _misses = new(StringComparer.Ordinal);

    public QueueState(PbxQueueOptions options) => Options = options;

    public PbxQueueOptions Options { get; }

    public string Number => Options.Number;

    // 30029 writes the queue as "queue-6402" while 30025/30026 write "6402" (the documented examples differ).
    public string StatusQueueNumber => "queue-" + Options.Number;

    public bool IsAgent(string extension) => Options.Agents.Contains(extension, StringComparer.Ordinal);

    public bool IsPaused(string agent) => _pausedReasons.ContainsKey(agent);

    public IReadOnlyDictionary<string, DateTimeOffset> PausedSince => _pausedSince;

    // Linear strategy: the first free agent in list order after the one rung last on this call (wrapping around);
    // null when every agent is paused or busy.
    public string? NextAgent(string? previous, Func<string, bool> isFree)
    {
        var agents = Options.Agents;
        var start = previous is null ? 0 : IndexOf(previous) + 1;
        for (var i = 0; i < agents.Count; i++)
        {
            var agent = agents[(start + i) % agents.Count];
            if (!IsPaused(agent) && isFree(agent))
            {
                return agent;
            }
        }

        return null;
    }

    // Counts a ringing timeout; returns the run of misses when it reaches the auto pause threshold (the agent is then
    // paused), otherwise null.
    public IReadOnlyList<MissedQueueCall>? RecordTimeout(string agent, MissedQueueCall missed, DateTimeOffset now)
    {
        if (!_misses.TryGetValue(agent, out var run))
        {
            run = [];
            _misses[agent] = run;
        }

        run.Add(missed);
        if (Options.RingTimeoutsBeforeAutoPause <= 0 || run.Count < Options.RingTimeoutsBeforeAutoPause || IsPaused(agent))
        {
            return null;
        }

        _misses.Remove(agent);
        Pause(agent, AgentStatus.AutoPauseReason, now);
        return run;
    }

    // An answer ends the agent's run of consecutive timeouts.
    public void RecordAnswer(string agent) => _misses.Remove(agent);

    // False when the agent was already paused.
    public bool Pause(string agent, string reason, DateTimeOffset now)
    {
        if (!_pausedReasons.TryAdd(agent, reason))
        {
            return false;
        }

        _pausedSince[agent] = now;
        return true;
    }

    // False when the agent was not paused. Derived: unpausing starts a fresh count of ringing timeouts.
    public bool Unpause(string agent)
    {
        if (!_pausedReasons.Remove(agent))
        {
            return false;
        }

        _pausedSince.Remove(agent);
        _misses.Remove(agent);
        return true;
    }

    private int IndexOf(string agent)
    {
        for (var i = 0; i < Options.Agents.Count; i++)
        {
            if (string.Equals(Options.Agents[i], agent, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
