using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.FaultTests;

/// <summary>
/// One fault scenario's world: a tenant; simulator → bridge → [API proxy] → API host → [PostgreSQL proxy] → PostgreSQL.
/// The proxies are the harness's fault switches for "API down" and "database down"; the simulator has its own.
/// </summary>
public sealed class FaultRig : IAsyncDisposable
{
    public const int Calls = 200;
    public const double TimeScale = 10;

    /// <summary>The share of answered calls the simulated PBX records.</summary>
    public const double RecordingShare = 0.25;
    public const string PbxTimeZone = "Europe/Moscow";

    private readonly TestDatabase _database;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FaultRig(TestDatabase database, TestTenant tenant, TcpProxy dbProxy, ApiHost api, TcpProxy apiProxy, PbxSimulator.PbxSimulator pbx, string dataDir, int seed, int calls, string kind, double unroutableShare, double queueShare)
    {
        Kind = kind;
        _database = database;
        Tenant = tenant;
        DbProxy = dbProxy;
        Api = api;
        ApiProxy = apiProxy;
        Pbx = pbx;
        DataDir = dataDir;
        Driver = new CallDriver(pbx, CallDriver.Extensions(64), calls, concurrency: 20, seed, unroutableShare, queueShare);
    }

    public TestTenant Tenant { get; }

    /// <summary><c>p-series</c> (WebSocket) or <c>s-series</c> (API v2.0.0, HTTP event push to the bridge).</summary>
    public string Kind { get; }

    private bool IsSSeries => Kind == "s-series";

    public TcpProxy DbProxy { get; }

    public ApiHost Api { get; private set; }

    public TcpProxy ApiProxy { get; }

    public PbxSimulator.PbxSimulator Pbx { get; }

    public CallDriver Driver { get; }

    public IBridge? Bridge { get; private set; }

    public string DataDir { get; }

    // The driver uses extensions 2001–2064; 2065 and 2066 are left for a test's own scripted calls.
    public const string SpareExtension = "2065";

    /// <param name="pbxSettings">Changes to the simulated PBX's settings (its date display, its firmware's CDR rows).</param>
    /// <param name="dateFormat">The date order the tenant's PBX record says the PBX shows.</param>
    /// <param name="unroutableShare">The share of calls the PBX cannot route (30015 with null members, no 30012).</param>
    /// <param name="queueShare">The share of calls through queue 6400 (agents 2062–2064, agent ring timeout 6 s, auto pause
    /// after 2 timeouts in a row); 0, the default, configures no queue and keeps the usual call mix.</param>
    public static async Task<FaultRig> StartAsync(
        TestDatabase database,
        int seed,
        CancellationToken cancellationToken,
        int calls = Calls,
        string kind = "p-series",
        Action<PbxSimulatorOptions>? pbxSettings = null,
        string? dateFormat = null,
        double unroutableShare = 0,
        double queueShare = 0)
    {
        var tenant = await TestTenant.CreateAsync(database, PbxTimeZone, dateFormat: dateFormat);
        var real = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var dbProxy = new TcpProxy(real.Host ?? "127.0.0.1", real.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = dbProxy.Port,
            Timeout = 5,
            CommandTimeout = 10,
        };
        var api = FaultApiHost.Start(viaProxy.ConnectionString);
        var apiProxy = new TcpProxy("127.0.0.1", api.Port);
        var options = new PbxSimulatorOptions
            {
                Kind = kind,
                // A dead event address costs each event a few quick resends, not ten one-second ones.
                SSeriesEventMaxAttempts = 3,
                SSeriesEventRetryDelay = TimeSpan.FromMilliseconds(100),
                TimeScale = TimeScale,
                Extensions = CallDriver.Extensions(66),
                IdleTimeout = TimeSpan.FromHours(1),
                TimeZone = PbxTimeZone,
                Seed = seed,

                // Recordings are a moving part like any other: a share of the answered calls must also end up archived.
                RecordingShare = RecordingShare,
            };
        if (queueShare > 0)
        {
            options.Queues = [new PbxQueueOptions { Number = "6400", Agents = ["2062", "2063", "2064"], AgentRingTimeout = TimeSpan.FromSeconds(6) }];
        }

        pbxSettings?.Invoke(options);
        var pbx = await PbxSimulator.PbxSimulator.StartAsync(options, cancellationToken);
        var dataDir = Path.Combine(Path.GetTempPath(), $"telephony-fault-bridge-{Guid.NewGuid():N}");
        return new FaultRig(database, tenant, dbProxy, api, apiProxy, pbx, dataDir, seed, calls, kind, unroutableShare, queueShare);
    }

    /// <summary>Bridge settings as environment variables (the same keys work in-process).</summary>
    public Dictionary<string, string?> BridgeSettings() => new()
    {
        ["YEASTAR_API_VERSION"] = IsSSeries ? "v2.0.0" : "v1.0",
        ["YEASTAR_HOST"] = Pbx.BaseUrl.ToString().TrimEnd('/'),
        ["YEASTAR_USERNAME"] = "simulator",
        ["YEASTAR_PASSWORD"] = "simulator-secret",
        ["YEASTAR_HEARTBEAT_INTERVAL"] = "5",
        ["YEASTAR_AUTH_RETRY_SECONDS"] = "3",
        ["YEASTAR_CDR_SWEEP_SECONDS"] = "10",
        ["YEASTAR_TIMEZONE"] = PbxTimeZone,
        ["TELEPHONY_API_URL"] = $"http://127.0.0.1:{ApiProxy.Port}",
        ["TELEPHONY_BRIDGE_KEY"] = Tenant.BridgeKey,
        ["TELEPHONY_PBX_ID"] = Tenant.PbxId,
        ["BRIDGE_URLS"] = "http://127.0.0.1:0",
        ["BRIDGE_DATA_DIR"] = DataDir,
        ["BRIDGE_ID"] = "fault-bridge",
        ["BRIDGE_RECORDING_POLL_SECONDS"] = "1",
    };

    public async Task StartInProcessBridgeAsync(CancellationToken cancellationToken)
    {
        var tokensBefore = Pbx.ValidAccessTokenCount;
        Bridge = await InProcessBridge.StartAsync(BridgeSettings(), cancellationToken);
        await WaitForLinkAsync(tokensBefore, cancellationToken);
    }

    public async Task<ChildProcessBridge> StartChildBridgeAsync(CancellationToken cancellationToken)
    {
        var tokensBefore = Pbx.ValidAccessTokenCount;
        var child = ChildProcessBridge.Start(BridgeSettings());
        Bridge = child;
        try
        {
            await WaitForLinkAsync(tokensBefore, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nBridge output:\n{child.RecentLog}", ex);
        }

        return child;
    }

    // An S-Series bridge has no socket: it is linked once it has logged in (a token more than before it started).
    private Task WaitForLinkAsync(int tokensBefore, CancellationToken cancellationToken) => IsSSeries
        ? Eventually.UntilAsync(() => Pbx.ValidAccessTokenCount > tokensBefore, TimeSpan.FromSeconds(30), "the bridge to log in to the S-Series API")
        : WaitForSocketAsync(cancellationToken);

    /// <summary>After a fault that cut the link: a P-Series bridge has its WebSocket back, an S-Series bridge is logged in again.</summary>
    public Task WaitForRelinkAsync(CancellationToken cancellationToken) => IsSSeries
        ? Eventually.UntilAsync(() => Pbx.ValidAccessTokenCount > 0, TimeSpan.FromSeconds(30), "the bridge to log in again")
        : WaitForSocketAsync(cancellationToken);

    /// <summary>P-Series: the bridge has a WebSocket; S-Series: it holds a valid token (events are pushed only then).</summary>
    public bool IsLinked => IsSSeries ? Pbx.ValidAccessTokenCount > 0 : Pbx.ActiveSocketCount > 0;

    /// <summary>Waits until the bridge has a subscribed WebSocket on the simulator.</summary>
    public Task WaitForSocketAsync(CancellationToken cancellationToken) =>
        Eventually.UntilAsync(() => Pbx.ActiveSocketCount > 0, TimeSpan.FromSeconds(30), "the bridge to connect its WebSocket");

    /// <summary>Takes the PBX offline from the From-th to the To-th completed call of each window, then awaits the relink.</summary>
    public async Task OfflineWhileCallsCompleteAsync(IReadOnlyList<(int From, int To)> windows, CancellationToken cancellationToken)
    {
        foreach (var (from, to) in windows)
        {
            await Driver.WhenCompletedAsync(from, cancellationToken);
            Pbx.Faults.Offline = true;
            await Driver.WhenCompletedAsync(to, cancellationToken);
            Pbx.Faults.Offline = false;
            await WaitForRelinkAsync(cancellationToken);
        }
    }

    /// <summary>"Restarts" the API: disposes the host, starts a new one on the same database, points the proxy at it.</summary>
    public async Task RestartApiAsync(Func<Task>? whileDown = null)
    {
        ApiProxy.GoDown();
        await Api.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        var connection = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = DbProxy.Port, Timeout = 5, CommandTimeout = 10 };
        Api = FaultApiHost.Start(connection.ConnectionString);
        ApiProxy.Retarget("127.0.0.1", Api.Port);
        ApiProxy.Refusing = false;
    }

    /// <summary>
    /// Awaits the whole run, then the call log settling, and asserts it equals the simulator's record: same calls, same
    /// direction and outcome, ring/talk/duration within 1 s, the start on the right day and hour, every call ended, no
    /// duplicates, nothing extra.
    /// </summary>
    public async Task<string> AssertCallLogMatchesSimulatorAsync(string fault, CancellationToken cancellationToken)
    {
        var expected = Pbx.Calls;
        Assert.True(expected.Count >= Driver.Total, $"the simulator completed only {expected.Count} calls");
        IReadOnlyList<string> problems = [];
        var correct = 0;
        var rows = 0;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Usually settled within a few seconds; after token expiry it has been seen to take ~30 s (see the report).
        cts.CancelAfter(TimeSpan.FromSeconds(90));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                (problems, correct, rows) = await CallLogComparison.CompareAsync(_database, Tenant.TenantId, pbxId: null, expected, cts.Token);
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

        var outcomes = string.Join(", ", expected.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{fault}: {expected.Count} calls sent ({outcomes}; {expected.Count(c => c.Recording is not null)} recorded), {correct} logged correctly, {rows} rows, {problems.Count} problems, {_clock.Elapsed.TotalSeconds:F1}s");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(problems.Count == 0, $"{summary}\n{string.Join('\n', problems.Take(25))}");
        return summary;
    }

    public async ValueTask DisposeAsync()
    {
        if (Bridge is not null)
        {
            await Bridge.DisposeAsync();
        }

        await Pbx.DisposeAsync();
        await ApiProxy.DisposeAsync();
        await Api.DisposeAsync();
        await DbProxy.DisposeAsync();
        try
        {
            if (Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>How many frames of this tenant the journal holds from <paramref name="source"/> (e.g. <c>cdr-backfill</c>).</summary>
    public async Task<long> CountJournaledAsync(string source, CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand(
            "select count(*) from pbx_event_journal where tenant_id = $1 and source = $2 and parse_error is null");
        command.Parameters.AddWithValue(Tenant.TenantId);
        command.Parameters.AddWithValue(source);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether the call log has the call as ended with an outcome.</summary>
    public async Task<bool> IsLoggedAsEndedAsync(string pbxCallId, CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand(
            "select count(*) from call_logs where tenant_id = $1 and pbx_call_id = $2 and status = 'ended' and outcome is not null");
        command.Parameters.AddWithValue(Tenant.TenantId);
        command.Parameters.AddWithValue(pbxCallId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }
}
