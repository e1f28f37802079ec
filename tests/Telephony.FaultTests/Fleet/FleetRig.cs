using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.FaultTests.Fleet;

/// <summary>
/// A fleet scenario's world: a database of its own (the fleet listing spans every tenant, so no other test's PBXs may
/// be in it), the API on a real port, simulated PBXs of both kinds serving HTTPS with a self-signed certificate their
/// records pin (as the admin API stores a bare host and the bridge assumes HTTPS), a fleet key, and fleet bridges.
/// </summary>
public sealed class FleetRig : IAsyncDisposable
{
    public const double TimeScale = 10;
    public const string PbxTimeZone = "Europe/Moscow";
    public const string ClientId = "fleet-api-client";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<FleetRigPbx> _pbxes = [];
    private readonly List<IBridge> _bridges = [];
    private readonly List<string> _dataDirs = [];
    private readonly X509Certificate2 _certificate;

    private FleetRig(TestDatabase database, ApiHost api, X509Certificate2 certificate, string fleetKey)
    {
        Database = database;
        Api = api;
        _certificate = certificate;
        FleetKey = fleetKey;
    }

    public TestDatabase Database { get; }

    public ApiHost Api { get; }

    public string FleetKey { get; }

    public IReadOnlyList<FleetRigPbx> Pbxes => _pbxes;

    /// <summary>The pin of the certificate every simulated PBX here serves.</summary>
    public string Fingerprint => SelfSignedCertificate.Fingerprint(_certificate);

    public static async Task<FleetRig> StartAsync(CancellationToken cancellationToken)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        var api = FaultApiHost.Start(database.ConnectionString);
        using var admin = AdminClient(api);
        using var response = await admin.PostAsJsonAsync("api/admin/fleet-keys", new { name = "fleet test" }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
        return new FleetRig(database, api, SelfSignedCertificate.Create("yeastar-fleet"), key);
    }

    public async Task<string> CreateTenantAsync() => (await TestTenant.CreateAsync(Database, PbxTimeZone)).TenantId;

    /// <summary>Starts a simulated PBX and stores it as <paramref name="tenantId"/>'s PBX <paramref name="pbxId"/> with its connection.</summary>
    public async Task<FleetRigPbx> AddPbxAsync(
        string tenantId, string pbxId, string kind, int calls, int seed, CancellationToken cancellationToken, int concurrency = 4, int extensions = 24)
    {
        var options = new PbxSimulatorOptions
        {
            Kind = kind,
            ClientId = ClientId,
            ClientSecret = Secret(tenantId, pbxId),
            TlsCertificate = _certificate,

            // A dead event address (a killed bridge's) costs each event a few quick resends, not ten one-second ones.
            SSeriesEventMaxAttempts = 3,
            SSeriesEventRetryDelay = TimeSpan.FromMilliseconds(100),
            TimeScale = TimeScale,
            Extensions = CallDriver.Extensions(extensions),
            IdleTimeout = TimeSpan.FromHours(1),
            TimeZone = PbxTimeZone,
            Seed = seed,
        };
        var simulator = await PbxSimulator.PbxSimulator.StartAsync(options, cancellationToken);
        var pbx = new FleetRigPbx(tenantId, pbxId, kind, simulator, new CallDriver(simulator, CallDriver.Extensions(extensions), calls, concurrency, seed));
        _pbxes.Add(pbx);
        await PutPbxAsync(pbx, Fingerprint, cancellationToken);
        return pbx;
    }

    /// <summary>Stores the PBX's connection again with another pin: a changed connection the fleet must pick up.</summary>
    public Task PinAsync(FleetRigPbx pbx, string fingerprint, CancellationToken cancellationToken) => PutPbxAsync(pbx, fingerprint, cancellationToken);

    /// <summary>Takes the PBX out of the fleet: its record keeps no host (and no secret), so no fleet bridge serves it.</summary>
    public async Task RemoveFromFleetAsync(FleetRigPbx pbx, CancellationToken cancellationToken)
    {
        using var admin = AdminClient(Api);
        using var response = await admin.PutAsJsonAsync(
            $"api/admin/tenants/{pbx.TenantId}/pbxes/{pbx.PbxId}",
            new { name = pbx.PbxId, kind = pbx.Kind, timeZone = PbxTimeZone, defaultRegion = "RU", clientSecret = "" },
            cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A fleet bridge's environment: the fleet key instead of YEASTAR_* and TELEPHONY_BRIDGE_KEY.</summary>
    public Dictionary<string, string?> BridgeSettings(string bridgeId)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"telephony-fleet-bridge-{Guid.NewGuid():N}");
        _dataDirs.Add(dataDir);
        return new()
        {
            ["TELEPHONY_FLEET_KEY"] = FleetKey,
            ["TELEPHONY_API_URL"] = Api.BaseAddress.ToString().TrimEnd('/'),
            ["BRIDGE_ID"] = bridgeId,
            ["BRIDGE_DATA_DIR"] = dataDir,
            ["BRIDGE_URLS"] = "http://127.0.0.1:0",
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "5",
            ["YEASTAR_AUTH_RETRY_SECONDS"] = "3",
            ["YEASTAR_CDR_SWEEP_SECONDS"] = "10",
        };
    }

    public async Task<InProcessBridge> StartInProcessBridgeAsync(string bridgeId, CancellationToken cancellationToken)
    {
        var bridge = await InProcessBridge.StartAsync(BridgeSettings(bridgeId), cancellationToken);
        _bridges.Add(bridge);
        return bridge;
    }

    public ChildProcessBridge StartChildBridge(string bridgeId)
    {
        var bridge = ChildProcessBridge.Start(BridgeSettings(bridgeId));
        _bridges.Add(bridge);
        return bridge;
    }

    /// <summary>Unexpired lease holders by PBX, as PostgreSQL has them.</summary>
    public async Task<Dictionary<(string TenantId, string PbxId), string>> LeaseHoldersAsync(CancellationToken cancellationToken)
    {
        var holders = new Dictionary<(string, string), string>();
        await using var command = Database.DataSource.CreateCommand("select tenant_id, pbx_id, holder from pbx_leases where holder is not null and expires_at > now()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holders[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return holders;
    }

    /// <summary>The PBX's link status as the API stores it from the bridge's reports.</summary>
    public async Task<(bool Connected, string? Reason)> LinkAsync(FleetRigPbx pbx, CancellationToken cancellationToken)
    {
        await using var command = Database.DataSource.CreateCommand("select connected, link_reason from pbxes where tenant_id = $1 and id = $2");
        command.Parameters.AddWithValue(pbx.TenantId);
        command.Parameters.AddWithValue(pbx.PbxId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : (false, null);
    }

    /// <summary>P-Series: the bridge has its WebSocket; S-Series: it is logged in (events are pushed only then).</summary>
    public static bool IsLinked(FleetRigPbx pbx) => pbx.IsSSeries ? pbx.Pbx.ValidAccessTokenCount > 0 : pbx.Pbx.ActiveSocketCount > 0;

    /// <summary>Waits until every PBX given has its link and its lease.</summary>
    public async Task WaitForLinksAsync(IEnumerable<FleetRigPbx> pbxes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiting = pbxes.ToList();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (true)
            {
                var holders = await LeaseHoldersAsync(cts.Token);
                waiting.RemoveAll(p => IsLinked(p) && holders.ContainsKey((p.TenantId, p.PbxId)));
                if (waiting.Count == 0)
                {
                    return;
                }

                await tick.WaitForNextTickAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0}s waiting for the fleet to link {string.Join(", ", waiting)}.\n{BridgeLogs()}");
        }
    }

    /// <summary>
    /// Awaits the call logs settling, then asserts that each PBX's equals its simulator's record (the fault suite's
    /// comparison: same calls, direction, outcome, timings, start; every call once; nothing extra).
    /// </summary>
    public async Task<string> AssertCallLogsMatchAsync(string scenario, IReadOnlyList<FleetRigPbx> pbxes, CancellationToken cancellationToken)
    {
        foreach (var pbx in pbxes)
        {
            Assert.True(pbx.Pbx.Calls.Count >= pbx.Driver.Total, $"{pbx}: the simulator completed only {pbx.Pbx.Calls.Count} calls");
        }

        var problems = new List<string>();
        var (correct, rows) = (0, 0);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(90));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            do
            {
                (problems, correct, rows) = ([], 0, 0);
                foreach (var pbx in pbxes)
                {
                    var (found, right, logged) = await CallLogComparison.CompareAsync(Database, pbx.TenantId, pbx.PbxId, pbx.Pbx.Calls, cts.Token);
                    problems.AddRange(found.Select(p => $"{pbx}: {p}"));
                    correct += right;
                    rows += logged;
                }

                if (problems.Count == 0)
                {
                    break;
                }
            }
            while (await tick.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: report the last comparison below.
        }

        var sent = pbxes.Sum(p => p.Pbx.Calls.Count);
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{scenario}: {pbxes.Count} PBXs ({pbxes.Count(p => p.IsSSeries)} S-Series) of {pbxes.Select(p => p.TenantId).Distinct().Count()} tenants, {sent} calls sent, {correct} logged correctly, {rows} rows, {problems.Count} problems, {_clock.Elapsed.TotalSeconds:F1}s");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(problems.Count == 0, $"{summary}\n{string.Join('\n', problems.Take(25))}\n{BridgeLogs()}");
        return summary;
    }

    public string BridgeLogs() => string.Join('\n', _bridges.OfType<ChildProcessBridge>().Select(b => b.RecentLog));

    public async ValueTask DisposeAsync()
    {
        foreach (var bridge in _bridges)
        {
            await bridge.DisposeAsync();
        }

        foreach (var pbx in _pbxes)
        {
            await pbx.Pbx.DisposeAsync();
        }

        await Api.DisposeAsync();
        await Database.DisposeAsync();
        _certificate.Dispose();
        foreach (var dir in _dataDirs.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Secret(string tenantId, string pbxId) => $"secret-{tenantId}-{pbxId}";

    private static HttpClient AdminClient(ApiHost api)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiHost.AdminKey);
        return client;
    }

    private async Task PutPbxAsync(FleetRigPbx pbx, string fingerprint, CancellationToken cancellationToken)
    {
        using var admin = AdminClient(Api);
        using var response = await admin.PutAsJsonAsync(
            $"api/admin/tenants/{pbx.TenantId}/pbxes/{pbx.PbxId}",
            new
            {
                name = pbx.PbxId,
                kind = pbx.Kind,
                timeZone = PbxTimeZone,
                defaultRegion = "RU",
                host = "127.0.0.1",
                port = pbx.Pbx.BaseUrl.Port,
                clientId = ClientId,
                clientSecret = Secret(pbx.TenantId, pbx.PbxId),
                tlsFingerprint = fingerprint,
            },
            cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"PUT {pbx}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
