using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>
/// A fleet bridge against a fake fleet API and a real simulated PBX over HTTPS (pinned): each unit names its lease on
/// every call, stops at once when the lease is no longer its own, and gives its lease back only after a graceful stop.
/// </summary>
public sealed class FleetSupervisorTests
{
    private const string Tenant = "tenant-a";
    private const string PbxId = "main";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_call_to_the_api_names_the_lease_and_a_refused_renewal_stops_the_link_without_releasing()
    {
        await using var world = await World.StartAsync();
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 1, Timeout, "the unit's WebSocket", world.Bridge.Logs.AllText);
        await Eventually.UntilAsync(() => world.Api.Requests.Any(r => r.Kind == "PUT extensions"), Timeout, "the extension sync", world.Bridge.Logs.AllText);

        world.Api.RefuseRenewals = true;
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 0, Timeout, "the link to stop after the refused renewal", world.Bridge.Logs.AllText);

        var requests = world.Api.Requests;
        Assert.Contains(requests, r => r.Kind == "renew" && r.Epoch == 1);
        Assert.DoesNotContain(requests, r => r.Kind == "release");
        Assert.Equal(1, world.Bridge.Logs.Count("another bridge holds its lease now"));
        var bridgeCalls = requests.Where(r => r.Kind.StartsWith("POST ", StringComparison.Ordinal) || r.Kind.StartsWith("PUT ", StringComparison.Ordinal) || r.Kind.StartsWith("GET ", StringComparison.Ordinal)).ToList();
        Assert.Contains(bridgeCalls, r => r.Kind == "POST link");
        Assert.All(bridgeCalls, r =>
        {
            Assert.Equal($"Bearer {FakeFleetApi.FleetKey}", r.Authorization);
            Assert.Equal(Tenant, r.Tenant);
            Assert.Equal(FleetBridgeUnderTest.BridgeId, r.BridgeId);
            Assert.Equal(1, r.Epoch);
        });
    }

    [Fact]
    public async Task A_409_on_an_events_post_stops_posting_at_once_and_stops_the_link()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await World.StartAsync();
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 1, Timeout, "the unit's WebSocket", world.Bridge.Logs.AllText);

        world.Api.RefuseEvents = true;
        var call = world.Pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromMilliseconds(200), talkFor: TimeSpan.FromMilliseconds(200));
        await world.Pbx.WhenCallCompletedAsync(call, ct);

        // Well before the next renewal is due (10 s): the 409 alone stopped it.
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 0, TimeSpan.FromSeconds(8), "the link to stop after the 409", world.Bridge.Logs.AllText);
        var requests = world.Api.Requests;
        var refused = requests.First(r => r.Refused);
        Assert.DoesNotContain(requests, r => r.At > refused.At && r.Kind.StartsWith("POST events", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.Kind == "release");
        Assert.True(world.Api.LeaseHeldBy(Tenant, PbxId, FleetBridgeUnderTest.BridgeId), "the fake still lists the lease as ours, yet the bridge stopped at the 409");
    }

    [Fact]
    public async Task A_pbx_removed_from_the_listing_is_stopped_and_its_lease_released()
    {
        await using var world = await World.StartAsync();
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 1, Timeout, "the unit's WebSocket", world.Bridge.Logs.AllText);

        world.Api.RemovePbx(Tenant, PbxId);

        await Eventually.UntilAsync(() => world.Api.Requests.Any(r => r.Kind == "release"), Timeout, "the lease to be released", world.Bridge.Logs.AllText);
        Assert.Equal(0, world.Pbx.ActiveSocketCount);
        Assert.False(world.Api.LeaseHeldBy(Tenant, PbxId, FleetBridgeUnderTest.BridgeId));
    }

    [Fact]
    public async Task A_graceful_stop_reports_the_link_down_then_releases_the_lease()
    {
        await using var world = await World.StartAsync();
        await Eventually.UntilAsync(() => world.Pbx.ActiveSocketCount == 1, Timeout, "the unit's WebSocket", world.Bridge.Logs.AllText);

        await world.Bridge.StopAsync();

        var requests = world.Api.Requests;
        var release = Assert.Single(requests, r => r.Kind == "release");
        Assert.Equal(1, release.Epoch);
        var lastLink = requests.Last(r => r.Kind == "POST link");
        Assert.True(lastLink.At <= release.At, "the lease was released before the unit had reported its link down");
        Assert.Equal(0, world.Pbx.ActiveSocketCount);
        Assert.Equal(0, world.Pbx.ValidAccessTokenCount);
    }

    private sealed class World : IAsyncDisposable
    {
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;

        private World(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, PbxSimulator.PbxSimulator pbx, FakeFleetApi api, FleetBridgeUnderTest bridge)
        {
            _certificate = certificate;
            Pbx = pbx;
            Api = api;
            Bridge = bridge;
        }

        public PbxSimulator.PbxSimulator Pbx { get; }

        public FakeFleetApi Api { get; }

        public FleetBridgeUnderTest Bridge { get; }

        public static async Task<World> StartAsync()
        {
            var certificate = SelfSignedCertificate.Create("yeastar-p560");
            var options = PbxConnectionTests.SimulatorOptions(timeScale: 10);
            options.TlsCertificate = certificate;
            var pbx = await PbxSimulator.PbxSimulator.StartAsync(options, TestContext.Current.CancellationToken);
            var api = await FakeFleetApi.StartAsync();
            api.AddPbx(Tenant, PbxId, pbx.BaseUrl.Port, SelfSignedCertificate.Fingerprint(certificate), BridgeUnderTest.ClientId, BridgeUnderTest.ClientSecret);
            return new World(certificate, pbx, api, await FleetBridgeUnderTest.StartAsync(api));
        }

        public async ValueTask DisposeAsync()
        {
            await Bridge.DisposeAsync();
            await Api.DisposeAsync();
            await Pbx.DisposeAsync();
            _certificate.Dispose();
        }
    }
}
