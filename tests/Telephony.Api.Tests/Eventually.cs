using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Api.Tests;

/// <summary>Reads a resource until it satisfies a condition, for state that is written just after it is pushed.</summary>
public static class Eventually
{
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
