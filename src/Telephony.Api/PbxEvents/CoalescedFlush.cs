namespace Telephony.Api.PbxEvents;

/// <summary>
/// Items added while a flush runs go out together in the next one; one flush at a time. Not thread-safe: it lives
/// inside one grain activation, whose turns never run at once.
/// </summary>
internal sealed class CoalescedFlush<T>(Func<IReadOnlyList<T>, Task> flush, Action<Exception, int> failed)
{
    private List<T> _waiting = [];
    private Task? _running;

    public void Add(IEnumerable<T> items)
    {
        _waiting.AddRange(items);
        if (_waiting.Count > 0)
        {
            _running ??= RunAsync();
        }
    }

    private async Task RunAsync()
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

        _running = null;
    }
}
