using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace Telephony.Benchmarks;

/// <summary>
/// Screen pop: a ringing frame posted for one tenant's PBX until a real SignalR client of that tenant (the operator
/// whose phone rings) hears <c>call:new</c>/<c>call:ringing</c>; idle, and while other tenants' traffic flows.
/// </summary>
internal static class PopScenario
{
    public const string Extension = "1001";

    private const int WarmUp = 5;

    public sealed record LoadResult(Percentiles Pops, double OtherFramesPerSecond);

    public static async Task<Percentiles> IdleAsync(Uri api, BenchPbx pbx, string agentKey, int samples) =>
        await MeasureAsync(api, pbx, agentKey, samples, "idle");

    public static async Task<LoadResult> UnderLoadAsync(Uri api, BenchPbx pbx, string agentKey, IReadOnlyList<BenchPbx> others, int framesPerSecond, int samples, int seed)
    {
        using var stop = new CancellationTokenSource();
        long sent = 0;
        var clock = Stopwatch.StartNew();
        var perPbx = Math.Max(1, framesPerSecond / others.Count / 4);
        var load = others.Select((other, i) => Task.Run(async () =>
        {
            // Four batches a second per PBX, paced: other tenants' steady traffic, not a flood.
            var traffic = new PbxTraffic(other, seed + i, "load-");
            using var poster = new BatchPoster(BenchFleet.Client(api, other.BridgeKey), other);
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (!stop.IsCancellationRequested)
            {
                var batch = traffic.Next(perPbx, startNewCalls: true);
                await poster.PostAsync(batch);
                Interlocked.Add(ref sent, batch.Count);
                try
                {
                    await tick.WaitForNextTickAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        })).ToList();

        // Let the load settle before measuring.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var pops = await MeasureAsync(api, pbx, agentKey, samples, "load");
        var rate = Interlocked.Read(ref sent) / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        return new LoadResult(pops, rate);
    }

    private static async Task<Percentiles> MeasureAsync(Uri api, BenchPbx pbx, string agentKey, int samples, string label)
    {
        var arrived = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        await using var hub = await ConnectAsync(api, agentKey, arrived);
        using var poster = new BatchPoster(BenchFleet.Client(api, pbx.BridgeKey), pbx);
        var latencies = new List<TimeSpan>(samples);

        // The first pops of a connection pay for JIT and first-use caches; they are not counted.
        for (var i = -WarmUp; i < samples; i++)
        {
            var callId = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{label}{i + WarmUp}");
            var heard = Arrival(arrived, callId);
            var sentAt = Stopwatch.GetTimestamp();

            // The pop is the frame's way to the operator's screen: timed to when the client heard it, not to the HTTP
            // answer, which for a quiet PBX comes once the call is also in the call log (a write the pop never waits for).
            var post = poster.PostAsync([Ringing(callId)]);
            var heardAt = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await post;
            if (i >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sentAt, heardAt));
            }

            await Task.Delay(20);
        }

        return Percentiles.Of(latencies);
    }

    private static TaskCompletionSource<long> Arrival(ConcurrentDictionary<string, TaskCompletionSource<long>> arrived, string callId) =>
        arrived.GetOrAdd(callId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task<HubConnection> ConnectAsync(Uri api, string agentKey, ConcurrentDictionary<string, TaskCompletionSource<long>> arrived)
    {
        using var agent = BenchFleet.Client(api, agentKey);
        using var negotiated = await agent.PostAsync("api/negotiate", null);
        negotiated.EnsureSuccessStatusCode();
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api, $"hubs/calls?extension={Extension}"), o => o.AccessTokenProvider = () => Task.FromResult(token))
            .Build();
        void Heard(JsonElement call)
        {
            // Stamped here, as the client hands the event over, not when this process next gets round to the waiting loop.
            var at = Stopwatch.GetTimestamp();
            if (call.TryGetProperty("pbxCallId", out var id) && id.GetString() is { } callId)
            {
                Arrival(arrived, callId).TrySetResult(at);
            }
        }

        connection.On<JsonElement>("call:new", Heard);
        connection.On<JsonElement>("call:ringing", Heard);
        await connection.StartAsync();
        return connection;
    }

    private static JsonObject Ringing(string callId)
    {
        var msg = new JsonObject
        {
            ["call_id"] = callId,
            ["members"] = new JsonArray(
                new JsonObject { ["inbound"] = new JsonObject { ["from"] = "89160000001", ["to"] = Extension, ["trunk_name"] = "siptrunk", ["channel_id"] = "PJSIP/trunk-siptrunk-endpoint-00000001", ["member_status"] = "ALERT", ["call_path"] = "" } },
                new JsonObject { ["extension"] = new JsonObject { ["number"] = Extension, ["channel_id"] = $"PJSIP/{Extension}-00000002", ["member_status"] = "RING", ["call_path"] = "" } }),
        };
        return new JsonObject { ["type"] = 30011, ["sn"] = "BENCH", ["msg"] = msg.ToJsonString() };
    }
}
