using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// Everything the simulator adds in s-series mode: tokens, the REST surface and the HTTP event pusher fed by
// the shared call engine through EventHub.Observer.
internal sealed class SSeriesMode : IAsyncDisposable
{
    public SSeriesMode(PbxSimulatorOptions options, SimClock clock, LoginLockout lockout, EventHub hub, CallEngine engine, PbxFaults faults, SSeriesRecordingApi recordings)
    {
        Tokens = new SSeriesTokenStore(clock, options);
        Pusher = new SSeriesEventPusher(Tokens, options, faults);
        Api = new SSeriesApi(options, Tokens, lockout, engine, faults, recordings);
        hub.Observer = Pusher.Publish;
    }

    public SSeriesTokenStore Tokens { get; }

    public SSeriesEventPusher Pusher { get; }

    public SSeriesApi Api { get; }

    public ValueTask DisposeAsync() => Pusher.DisposeAsync();
}
