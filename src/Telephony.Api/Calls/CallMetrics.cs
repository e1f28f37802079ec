using System.Diagnostics.Metrics;
using Telephony.Api.Telemetry;
using Telephony.Core.Calls;

namespace Telephony.Api.Calls;

/// <summary>What the calls grains count: calls by outcome, and how long a PBX frame takes to reach the browsers.</summary>
internal sealed class CallMetrics(IMeterFactory meters)
{
    private static readonly InstrumentAdvice<double> PushLatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    private readonly Counter<long> _ended = meters.Create(ApiTelemetry.Name)
        .CreateCounter<long>("telephony.calls.ended", "{call}", "Calls that ended, by outcome and direction");

    private readonly Histogram<double> _pushLatency = meters.Create(ApiTelemetry.Name)
        .CreateHistogram("telephony.push.latency", "s", "From the bridge receiving a PBX frame to its live event sent", advice: PushLatencyBuckets);

    public void Ended(CallState call) => _ended.Add(
        1,
        new KeyValuePair<string, object?>("telephony.call.outcome", call.Outcome?.ToString() ?? "Unknown"),
        new KeyValuePair<string, object?>("telephony.call.direction", call.Direction?.ToString() ?? "Unknown"));

    public void Pushed(string eventName, TimeSpan sinceReceived) =>
        _pushLatency.Record(Math.Max(0, sinceReceived.TotalSeconds), new KeyValuePair<string, object?>("telephony.event", eventName));
}
