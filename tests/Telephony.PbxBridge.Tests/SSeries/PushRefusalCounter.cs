using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Tests.SSeries;

/// <summary>Reads one bridge's <c>telephony.bridge.push_refused</c> counter (its own meter factory, so parallel bridges do not mix).</summary>
internal sealed class PushRefusalCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public PushRefusalCounter(WebApplication bridge)
    {
        var scope = bridge.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == SSeriesPushGuard.RefusedCounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    _byReason.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string reason] => _byReason.GetValueOrDefault(reason);

    public long Total => _byReason.Values.Sum();

    public void Dispose() => _listener.Dispose();
}
