using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Telephony.PbxSimulator;
using Simulator = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.Benchmarks;

/// <summary>
/// A fleet bridge's resident memory by the number of PBXs it serves (issue 11 §3: report it per PBX at 50): one fleet
/// bridge process, fed by simulated PBXs of both kinds (hosted in this process, serving HTTPS with a factory
/// self-signed certificate their records pin, as FoodFlow's fleet would see them), each with a restaurant's peak of
/// traffic. The same bridge binary serving one PBX is the baseline; the difference over the extra PBXs is what each
/// PBX costs.
/// </summary>
internal static class FleetMemoryScenario
{
    private const double TimeScale = 10;
    private const string ClientId = "bench-fleet-client";
    private const string TimeZone = "Europe/Moscow";

    // A busy restaurant: a call every 20 simulated seconds (a call every 2 s per PBX here, at ×10).
    private const double CallsPerSimulatedMinute = 3;

    public sealed record Point(int Pbxes, int SSeries, int Tenants, BridgeMemoryScenario.ProcessMemorySummary Memory, TimeSpan LinkedIn);

    public static async Task<IReadOnlyList<Point>> RunAsync(BenchOptions options, Uri api)
    {
        var fleetKey = await CreateFleetKeyAsync(api);
        using var certificate = SelfSignedCertificate.Create("yeastar-bench-fleet");
        var points = new List<Point>();
        foreach (var size in options.Quick ? new[] { 1, 5 } : [1, 10, 50])
        {
            points.Add(await MeasureAsync(options, api, fleetKey, certificate, size));
        }

        return points;
    }

    private static async Task<Point> MeasureAsync(BenchOptions options, Uri api, string fleetKey, X509Certificate2 certificate, int size)
    {
        using var admin = BenchFleet.Client(api, ApiProcess.AdminKey);
        var tenants = Math.Max(1, size / 10);
        var pbxes = new List<(string TenantId, string PbxId, bool SSeries, Simulator Pbx)>();
        try
        {
            for (var t = 0; t < tenants; t++)
            {
                var tenantId = $"fleet-{size:D2}-{t:D2}";
                (await admin.PostAsJsonAsync("api/admin/tenants", new { id = tenantId, name = $"Fleet chain {size}/{t}" })).EnsureSuccessStatusCode();
            }

            for (var i = 0; i < size; i++)
            {
                var kind = i % 2 == 0 ? "p-series" : "s-series";
                var (tenantId, pbxId) = ($"fleet-{size:D2}-{i % tenants:D2}", $"site-{i:D2}");
                var pbx = await Simulator.StartAsync(new PbxSimulatorOptions
                {
                    Kind = kind,
                    ClientId = ClientId,
                    ClientSecret = Secret(tenantId, pbxId),
                    TlsCertificate = certificate,
                    TimeScale = TimeScale,
                    CallsPerMinute = CallsPerSimulatedMinute,
                    Extensions = [.. Enumerable.Range(1001, 16).Select(n => n.ToString(CultureInfo.InvariantCulture))],
                    IdleTimeout = TimeSpan.FromHours(1),
                    TimeZone = TimeZone,
                    Seed = 5000 + (size * 100) + i,
                });
                pbxes.Add((tenantId, pbxId, kind == "s-series", pbx));
                await PutAsync(admin, tenantId, pbxId, kind, pbx.BaseUrl.Port, Secret(tenantId, pbxId), SelfSignedCertificate.Fingerprint(certificate));
            }

            // One bridge id for every size: the previous size's bridge, announced within the last 30 s, would otherwise count
            // as a live peer, and this one would take only its fair share per pass.
            await using var bridge = await BridgeProcess.StartFleetAsync(options.BridgeProgram, api, fleetKey, "bench-fleet");
            var clock = Stopwatch.StartNew();
            await WaitForLinksAsync([.. pbxes.Select(p => (p.SSeries, p.Pbx))], TimeSpan.FromSeconds(120));
            var linkedIn = clock.Elapsed;

            // Every unit's start-up (login, extension sync, 24 h backfill) is behind it; then traffic as usual.
            await Task.Delay(options.Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20));
            var samples = await bridge.SampleMemoryAsync(options.Quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
            return new Point(size, pbxes.Count(p => p.SSeries), tenants, BridgeMemoryScenario.ProcessMemorySummary.Of(samples), linkedIn);
        }
        finally
        {
            // Out of the fleet (no host, no secret) before the PBXs go, so the next size's bridge is not handed them.
            foreach (var (tenantId, pbxId, sSeries, pbx) in pbxes)
            {
                using var response = await admin.PutAsJsonAsync(
                    $"api/admin/tenants/{tenantId}/pbxes/{pbxId}",
                    new { name = pbxId, kind = sSeries ? "s-series" : "p-series", timeZone = TimeZone, defaultRegion = "RU", clientSecret = "" });
                response.EnsureSuccessStatusCode();
                await pbx.DisposeAsync();
            }
        }
    }

    // P-Series: the bridge holds its WebSocket; S-Series: it is logged in (events are pushed only then).
    private static async Task WaitForLinksAsync(IReadOnlyList<(bool SSeries, Simulator Pbx)> pbxes, TimeSpan timeout)
    {
        static bool Linked((bool SSeries, Simulator Pbx) p) => p.SSeries ? p.Pbx.ValidAccessTokenCount > 0 : p.Pbx.ActiveSocketCount > 0;
        var clock = Stopwatch.StartNew();
        while (!pbxes.All(Linked))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the fleet bridge linked {pbxes.Count(Linked)} of {pbxes.Count} PBXs within {timeout.TotalSeconds:F0} s");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<string> CreateFleetKeyAsync(Uri api)
    {
        using var admin = BenchFleet.Client(api, ApiProcess.AdminKey);
        using var response = await admin.PostAsJsonAsync("api/admin/fleet-keys", new { name = "bench fleet" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static async Task PutAsync(HttpClient admin, string tenantId, string pbxId, string kind, int port, string secret, string fingerprint)
    {
        using var response = await admin.PutAsJsonAsync(
            $"api/admin/tenants/{tenantId}/pbxes/{pbxId}",
            new { name = pbxId, kind, timeZone = TimeZone, defaultRegion = "RU", host = "127.0.0.1", port, clientId = ClientId, clientSecret = secret, tlsFingerprint = fingerprint });
        if (response.StatusCode != HttpStatusCode.OK && response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"PUT {tenantId}/{pbxId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Secret(string tenantId, string pbxId) => $"bench-secret-{tenantId}-{pbxId}";
}
