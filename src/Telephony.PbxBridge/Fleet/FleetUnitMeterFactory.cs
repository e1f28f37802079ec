using System.Diagnostics.Metrics;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// A unit's meters (spool gauges, refused pushes, HTTP resilience): tagged with its tenant and PBX so the figures of
/// many PBXs stay apart, and disposed with the unit, so a stopped unit's gauges no longer report (or keep its spool alive).
/// </summary>
internal sealed class FleetUnitMeterFactory(FleetPbxKey pbx) : IMeterFactory
{
    private readonly Lock _gate = new();
    private readonly List<Meter> _meters = [];
    private bool _disposed;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name)
        {
            Version = options.Version,
            Tags = [.. options.Tags ?? [], new("telephony.tenant", pbx.TenantId), new("telephony.pbx", pbx.PbxId)],
            Scope = this,
        });
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        List<Meter> meters;
        lock (_gate)
        {
            _disposed = true;
            meters = [.. _meters];
            _meters.Clear();
        }

        foreach (var meter in meters)
        {
            meter.Dispose();
        }
    }
}
