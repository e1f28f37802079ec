namespace Telephony.PbxSimulator.Engine;

// Simulated clock running Scale times faster than real time from the moment the simulator started,
// so durations in events and CDRs are simulated seconds while tests wait only a fraction of them.
internal sealed class SimClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _anchor;

    public SimClock(double scale, TimeProvider time)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "TimeScale must be a positive number.");
        }

        Scale = scale;
        _time = time;
        _anchor = time.GetUtcNow();
    }

    public double Scale { get; }

    public DateTimeOffset UtcNow => _anchor + ((_time.GetUtcNow() - _anchor) * Scale);

    public TimeSpan ToReal(TimeSpan simulated) => simulated / Scale;

    public Task Delay(TimeSpan simulated, CancellationToken cancellationToken) =>
        simulated <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(ToReal(simulated), _time, cancellationToken);
}
