using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.TestSupport;

/// <summary>
/// Awaits state that arrives a moment after the step that caused it, by polling with a bound (never a blind sleep); on
/// timeout it fails with what was awaited and, when given, what it looked like. The one polling helper of the test
/// projects.
/// </summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string waitingFor, Func<string>? diagnostics = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {waitingFor}.\n{diagnostics?.Invoke()}");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>As above, for a condition that has to ask (a database, a grain).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor, Func<string>? diagnostics = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition().WaitAsync(timeout, cancellationToken))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {waitingFor}.\n{diagnostics?.Invoke()}");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }

    /// <summary>Reads <paramref name="url"/> until its JSON satisfies <paramref name="condition"/>; 404 counts as "not yet".</summary>
    public static async Task<JsonElement> GetAsync(HttpClient client, string url, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        JsonElement last = default;
        try
        {
            do
            {
                // Not found yet is "not yet": the row is written just after the push that announced it.
                using var response = await client.GetAsync(url, cts.Token);
                if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
                {
                    response.EnsureSuccessStatusCode();
                    last = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                    if (condition(last))
                    {
                        return last;
                    }
                }
            }
            while (await tick.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"{url} never met the condition; last: {last}");
    }
}
