using System.Diagnostics.Metrics;

namespace Telephony.Api.PbxEvents;

/// <summary>How the ingest grains keep up: frames per dispatch and how long a dispatch (apply and mark) takes.</summary>
internal sealed class PbxIngestMetrics(IMeterFactory meters)
{
    private readonly Histogram<int> _framesPerDispatch = meters.Create("Telephony.Api").CreateHistogram<int>("telephony.pbx.frames_per_dispatch");
    private readonly Histogram<double> _dispatchSeconds = meters.Create("Telephony.Api").CreateHistogram<double>("telephony.pbx.dispatch_duration", "s");

    public void Dispatched(int frames, TimeSpan took)
    {
        _framesPerDispatch.Record(frames);
        _dispatchSeconds.Record(took.TotalSeconds);
    }
}
