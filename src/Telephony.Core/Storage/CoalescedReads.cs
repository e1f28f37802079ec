using System.Threading.Channels;

namespace Telephony.Core.Storage;

/// <summary>
/// Turns many concurrent single-key reads into few multi-key queries: each caller queues its key, and whatever queued
/// while the previous query ran is read by the next one. Nothing waits on a timer, so a lone read goes out at once;
/// under load (hundreds of calls activating per second) one round trip answers hundreds of them.
/// </summary>
public sealed class CoalescedReads<TKey, TValue> : IDisposable
    where TKey : notnull
{
    private const int MaxKeysPerRead = 500;

    private readonly Channel<(TKey Key, TaskCompletionSource<TValue?> Result)> _queue =
        Channel.CreateUnbounded<(TKey, TaskCompletionSource<TValue?>)>();

    private readonly Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _read;

    /// <param name="read">Reads the values of a set of keys; a key missing from the result has no value.</param>
    /// <param name="readers">How many queries may run at once.</param>
    public CoalescedReads(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> read, int readers = 2)
    {
        _read = read;
        for (var i = 0; i < readers; i++)
        {
            _ = Task.Run(ReadLoopAsync);
        }
    }

    public Task<TValue?> FindAsync(TKey key)
    {
        var result = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((key, result)))
        {
            result.SetException(new ObjectDisposedException(nameof(CoalescedReads<TKey, TValue>)));
        }

        return result.Task;
    }

    /// <summary>Stops the readers once the keys already queued are read.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private async Task ReadLoopAsync()
    {
        var batch = new List<(TKey Key, TaskCompletionSource<TValue?> Result)>(MaxKeysPerRead);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxKeysPerRead && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                var values = await _read(batch.Select(p => p.Key).ToHashSet(), CancellationToken.None);
                foreach (var (key, result) in batch)
                {
                    result.SetResult(values.TryGetValue(key, out var value) ? value : default);
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, result) in batch)
                {
                    result.SetException(ex);
                }
            }

            batch.Clear();
        }
    }
}
