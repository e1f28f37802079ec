using Telephony.PbxSimulator;

namespace Telephony.FaultTests;

// The driver's queue option against the simulator alone (no API, no bridge): quick, and it shows the option's traffic
// really is queue calls, and that the default mix has none.
public sealed class CallDriverQueueTests
{
    [Fact]
    public async Task Queue_share_sends_that_share_of_calls_through_the_queue_and_every_call_completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(Options(withQueue: true), ct);
        var driver = new CallDriver(pbx, CallDriver.Extensions(20), total: 60, concurrency: 8, seed: 3, queueShare: 0.3);

        await driver.RunAsync(ct);

        var queued = pbx.Calls.Where(c => c.Queue == "6400").ToList();
        Assert.Equal(60, pbx.Calls.Count);
        Assert.InRange(queued.Count, 8, 30);
        Assert.All(queued, c => Assert.Equal("inbound", c.Direction));
        Assert.Contains(queued, c => c.MissedByAgents!.Count > 0);
        Assert.Contains(queued, c => c.Outcome == "answered");
    }

    [Fact]
    public async Task Default_driver_sends_no_queue_calls_even_when_the_pbx_has_a_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(Options(withQueue: true), ct);
        var driver = new CallDriver(pbx, CallDriver.Extensions(20), total: 20, concurrency: 8, seed: 3);

        await driver.RunAsync(ct);

        Assert.Equal(20, pbx.Calls.Count);
        Assert.All(pbx.Calls, c => Assert.Null(c.Queue));
    }

    private static PbxSimulatorOptions Options(bool withQueue) => new()
    {
        TimeScale = 60,
        Seed = 3,
        Extensions = CallDriver.Extensions(20),
        Queues = withQueue ? [new PbxQueueOptions { Number = "6400", Agents = ["2018", "2019", "2020"], AgentRingTimeout = TimeSpan.FromSeconds(6) }] : [],
    };
}
