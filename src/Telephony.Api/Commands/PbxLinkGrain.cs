namespace Telephony.Api.Commands;

/// <summary>
/// In-memory queue: dial and hangup are interactive, so a command older than the HTTP wait is useless
/// and is dropped rather than replayed after a restart (the caller already got 504).
/// Interleaving (<see cref="IPbxLinkGrain.PollAsync"/>, <see cref="IPbxLinkGrain.WaitForResultAsync"/>) is safe:
/// every method runs on the grain's one thread and no invariant spans an await.
/// </summary>
internal sealed class PbxLinkGrain(TimeProvider time) : Grain, IPbxLinkGrain
{
    private static readonly TimeSpan CommandLifetime = TimeSpan.FromMinutes(1);

    private readonly Queue<PbxCommand> _pending = new();
    private readonly Dictionary<Guid, TaskCompletionSource<PbxCommandResult>> _results = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _lastPoll;

    public Task EnqueueAsync(PbxCommand command)
    {
        _pending.Enqueue(command);
        _results[command.Id] = new TaskCompletionSource<PbxCommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _arrived.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<PbxCommand>> PollAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        _lastPoll = time.GetUtcNow();
        if (_pending.Count == 0)
        {
            if (_arrived.Task.IsCompleted)
            {
                _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await Task.WhenAny(_arrived.Task, Task.Delay(wait, time, cancellationToken));
            _lastPoll = time.GetUtcNow();
        }

        // A poll whose bridge is gone takes nothing; the caller hears of it only after this (the silo waits for the
        // acknowledgement), so a command enqueued after that goes to the next poll.
        cancellationToken.ThrowIfCancellationRequested();

        var now = time.GetUtcNow();
        var handed = new List<PbxCommand>();
        while (_pending.TryDequeue(out var command))
        {
            if (now - command.CreatedAt < CommandLifetime)
            {
                handed.Add(command);
            }
        }

        return handed;
    }

    public Task<bool> CompleteAsync(Guid commandId, PbxCommandResult result) =>
        Task.FromResult(_results.Remove(commandId, out var pending) && pending.TrySetResult(result));

    public async Task<PbxCommandResult?> WaitForResultAsync(Guid commandId, TimeSpan timeout)
    {
        if (!_results.TryGetValue(commandId, out var pending))
        {
            return null;
        }

        var finished = await Task.WhenAny(pending.Task, Task.Delay(timeout, time));
        if (finished == pending.Task)
        {
            return await pending.Task;
        }

        // Too late for the caller; if the bridge still runs it, its result is ignored.
        _results.Remove(commandId);
        return null;
    }

    public Task<double?> SecondsSinceLastPollAsync() =>
        Task.FromResult(_lastPoll is { } last ? (time.GetUtcNow() - last).TotalSeconds : (double?)null);
}
