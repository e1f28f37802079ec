using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Telephony.Benchmarks;

/// <summary>Posts frames the way the bridge does (design.md §6): numbered, stamped, in batches to the events endpoint.</summary>
internal sealed class BatchPoster(HttpClient bridge, BenchPbx pbx) : IDisposable
{
    private long _seq;

    /// <summary>Posts one batch and returns how long the API took to answer "accepted".</summary>
    public async Task<TimeSpan> PostAsync(IReadOnlyList<JsonObject> frames)
    {
        var at = DateTimeOffset.UtcNow;
        var events = new JsonArray();
        foreach (var frame in frames)
        {
            events.Add(new JsonObject { ["seq"] = ++_seq, ["receivedAt"] = at, ["source"] = "websocket", ["frame"] = frame });
            at = at.AddTicks(10);
        }

        var body = new JsonObject { ["bridgeId"] = $"bench-{pbx.PbxId}", ["events"] = events }.ToJsonString();
        var clock = Stopwatch.StartNew();
        using var response = await bridge.PostAsync($"api/pbx/{pbx.PbxId}/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var elapsed = clock.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"batch for {pbx.TenantId}/{pbx.PbxId} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return elapsed;
    }

    public void Dispose() => bridge.Dispose();
}
