using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Telephony.PbxSimulator;

namespace Telephony.Api.Tests.Telemetry;

/// <summary>
/// Issue 12 §6: a real bridge and the API, each with OpenTelemetry collecting into an in-memory exporter, carry one call.
/// The push of its ringing and of its end each belong to one trace that starts at the bridge's batch and runs through
/// the API's request, the journal's insert and the grain calls — and the call metrics count it.
/// </summary>
public sealed class OneTraceFromBridgeToPushTests
{
    [Fact]
    public async Task A_frame_is_traced_from_the_bridge_batch_through_the_journal_and_the_grains_to_its_push()
    {
        var ct = TestContext.Current.CancellationToken;
        var apiSpans = new ConcurrentQueue<Activity>();
        var bridgeSpans = new ConcurrentQueue<Activity>();
        var metrics = new List<Metric>();
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var api = ApiHost.Start(
            database.ConnectionString,
            new Dictionary<string, string?> { ["Telemetry:Collect"] = "true" },
            services => services
                .ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new SimpleActivityExportProcessor(new QueueExporter(apiSpans))))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)));
        var tenant = await TestTenant.CreateAsync(database);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(new PbxSimulatorOptions { TimeScale = 10, IdleTimeout = TimeSpan.FromMinutes(10) }, ct);
        var simulator = new PbxSimulatorOptions();
        await using var bridge = await BridgeHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["YEASTAR_HOST"] = pbx.BaseUrl.ToString().TrimEnd('/'),
                ["YEASTAR_USERNAME"] = simulator.ClientId,
                ["YEASTAR_PASSWORD"] = simulator.ClientSecret,
                ["TELEPHONY_API_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
                ["TELEPHONY_BRIDGE_KEY"] = tenant.BridgeKey,
                ["TELEPHONY_PBX_ID"] = tenant.PbxId,
                ["Telemetry:Collect"] = "true",
            },
            configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(
                t => t.AddProcessor(new SimpleActivityExportProcessor(new QueueExporter(bridgeSpans)))),
            cancellationToken: ct);
        using var agent = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(agent, "api/pbx", pbxes => pbxes.EnumerateArray().Any(p => p.GetProperty("connected").GetBoolean()));

        var pbxCallId = pbx.StartInboundCall("89991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(10));
        await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => c.GetProperty("outcome").GetString() == "answered");
        await Eventually.UntilAsync(
            () => apiSpans.Any(s => s.DisplayName == "push call:ended"), TimeSpan.FromSeconds(10), "the end's push span");

        foreach (var pushed in new[] { "push call:ringing", "push call:ended" })
        {
            var push = apiSpans.First(s => s.DisplayName == pushed && Equals(s.GetTagItem("telephony.tenant"), tenant.TenantId));
            var trace = apiSpans.Concat(bridgeSpans).Where(s => s.TraceId == push.TraceId).ToList();
            var chain = AncestorsOf(push, trace);

            // The trace starts at the bridge's batch, with nothing above it.
            var root = chain[^1];
            Assert.Equal("forward events", root.DisplayName);
            Assert.Equal(default, root.ParentSpanId);
            Assert.Contains(bridgeSpans, s => s.SpanId == root.SpanId);

            // On the way down: the bridge's HTTP call, the API's request for that PBX's events, the ingest grain, a call grain.
            Assert.Contains(chain, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");
            var request = Assert.Single(chain, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
            Assert.Contains($"/api/pbx/{tenant.PbxId}/events", request.GetTagItem("url.path") as string ?? "", StringComparison.Ordinal);
            Assert.Contains(chain, s => s.DisplayName.Contains("PbxIngestGrain", StringComparison.Ordinal));
            Assert.Contains(chain, s => s.DisplayName.Contains("CallGrain", StringComparison.Ordinal));

            // The batch was journaled within the same request: a PostgreSQL span below it.
            Assert.Contains(trace, s => s.Source.Name == "Npgsql" && AncestorsOf(s, trace).Contains(request));
        }

        // The end came through the ordered apply line, not the early pop-up.
        var ended = apiSpans.First(s => s.DisplayName == "push call:ended" && Equals(s.GetTagItem("telephony.tenant"), tenant.TenantId));
        Assert.Contains(AncestorsOf(ended, [.. apiSpans]), s => s.DisplayName == "apply frames");

        // Metrics: the call counted by outcome, and its pushes timed.
        var meters = api.Services.GetRequiredService<MeterProvider>();
        Assert.True(meters.ForceFlush(10_000));
        var endedCalls = metrics.Last(m => m.Name == "telephony.calls.ended");
        Assert.Contains(Points(endedCalls), p => Tag(p, "telephony.call.outcome") == "Answered" && p.GetSumLong() >= 1);
        var latency = metrics.Last(m => m.Name == "telephony.push.latency");
        Assert.Contains(Points(latency), p => Tag(p, "telephony.event") == "call:ringing" && p.GetHistogramCount() >= 1);
    }

    // The span, its parent, the parent's parent… as far as the trace holds them.
    private static List<Activity> AncestorsOf(Activity span, IReadOnlyCollection<Activity> trace)
    {
        var chain = new List<Activity> { span };
        while (chain[^1].ParentSpanId != default && trace.FirstOrDefault(s => s.SpanId == chain[^1].ParentSpanId) is { } parent)
        {
            chain.Add(parent);
        }

        return chain;
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    /// <summary>The in-memory exporter's job into a queue the test can read while spans still end on other threads.</summary>
    private sealed class QueueExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }
}
