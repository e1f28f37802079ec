namespace Telephony.Api.PbxEvents;

/// <summary>
/// Items added while a flush runs go out together in the next one; one flush at a time. Not thread-safe: it lives
/// inside one grain activation, whose turns never run at once.
/// </summary>
internal sealed class CoalescedFlush<T>(Func<IReadOnlyList<T>, Task> flush, Action<Exception, int> failed)
{
    private List<T> _waiting = [];

    // Set before the loop starts and cleared by the loop itself: a flush that completes at once (or fails at once)
    // ends the loop before RunAsync returns, so holding the returned task instead would leave it "running" forever.
    private bool _running;

    public void Add(IEnumerable<T> items)
    {
        _waiting.AddRange(items);
        if (_waiting.Count > 0 && !_running)
        {
            _running = true;
            _ = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                var taken = _waiting;
                _waiting = [];
                try
                {
                    await flush(taken);
                }
                catch (Exception ex)
                {
                    failed(ex, taken.Count);
                }
            }
        }
        finally
        {
            _running = false;
        }
    }
}
