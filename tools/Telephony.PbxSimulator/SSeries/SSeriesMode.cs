using Telephony.PbxSimulator.PSeries;

namespace Telephony.PbxSimulator.SSeries;

// Everything the simulator adds in s-series mode: tokens/lockout, the REST surface and the HTTP event pusher fed by
// the shared call engine through EventHub.Observer.
internal sealed class SSeriesMode : IAsyncDisposable
{
    public SSeriesMode(PbxSimulatorOptions options, SimClock clock, EventHub hub, CallEngine engine, PbxFaults faults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SSeriesMaxLoginFailures, 1, nameof(options));
        Tokens = new SSeriesTokenStore(clock, options);
        Pusher = new SSeriesEventPusher(Tokens, options);
        Api = new SSeriesApi(options, Tokens, engine, faults);
        hub.Observer = Pusher.Publish;
    }

    public SSeriesTokenStore Tokens { get; }

    public SSeriesEventPusher Pusher { get; }

    public SSeriesApi Api { get; }

    public ValueTask DisposeAsync() => Pusher.DisposeAsync();
}
