using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telephony.PbxSimulator.Engine;
using Telephony.PbxSimulator.PSeries;
using Telephony.PbxSimulator.Recordings;
using Telephony.PbxSimulator.SSeries;
using Telephony.PbxSimulator.Scenarios;

namespace Telephony.PbxSimulator;

// A Yeastar P-Series PBX simulator: the Open API over HTTP plus the WebSocket event channel, with scripted calls,
// optional background traffic and fault switches. Runs in-process on 127.0.0.1.
public sealed class PbxSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly EventHub _hub;
    private readonly TokenStore _tokens;
    private readonly CallEngine _engine;
    private readonly RecordingStore _recordings;
    private readonly RecordingDownloads _downloads;
    private readonly Task _traffic;
    private SSeriesMode? _sSeries;
    private int _disposed;

    private PbxSimulator(
        WebApplication app,
        CancellationTokenSource stopping,
        EventHub hub,
        TokenStore tokens,
        CallEngine engine,
        RecordingStore recordings,
        RecordingDownloads downloads,
        PbxFaults faults,
        Task traffic,
        Uri baseUrl)
    {
        _app = app;
        _stopping = stopping;
        _hub = hub;
        _tokens = tokens;
        _engine = engine;
        _recordings = recordings;
        _downloads = downloads;
        _traffic = traffic;
        Faults = faults;
        BaseUrl = baseUrl;
    }

    // Base URL such as http://127.0.0.1:41234/.
    public Uri BaseUrl { get; }

    public PbxFaults Faults { get; }

    // Every finished call, in completion order (a thread-safe snapshot).
    public IReadOnlyList<SimulatedCall> Calls => _engine.Completed;

    public int ActiveSocketCount => _hub.ActiveSocketCount;

    public int ValidAccessTokenCount => _sSeries?.Tokens.ValidCount ?? _tokens.ValidAccessTokenCount;

    // S-Series mode: events a client acknowledged with HTTP 200, and POST attempts including failed ones.
    public long SSeriesEventsDelivered => _sSeries?.Pusher.Delivered ?? 0;

    public long SSeriesEventAttempts => _sSeries?.Pusher.Attempts ?? 0;

    // Recordings the PBX holds: file name → the exact bytes a download serves (synthesised on each read).
    public IReadOnlyDictionary<string, byte[]> Recordings => _recordings.Snapshot();

    // Starts the HTTP/WebSocket server and, when CallsPerMinute > 0, background traffic.
    public static async Task<PbxSimulator> StartAsync(PbxSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAccessTokens, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CallsPerMinute, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLoginFailures, 1, nameof(options));
        if (!(options.RecordingShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RecordingShare, "RecordingShare must be between 0 and 1.");
        }

        if (options.Extensions.Count == 0)
        {
            throw new ArgumentException("At least one extension is required.", nameof(options));
        }

        ValidateQueues(options);
        var clock = new SimClock(options.TimeScale, TimeProvider.System);
        var random = new LockedRandom(options.Seed);
        var hub = new EventHub(options.SerialNumber);
        var tokens = new TokenStore(clock, options);

        // A4: a P-Series block lasts until removed by hand; B2: an S-Series lock lasts SSeriesLockoutDuration.
        var lockout = new LoginLockout(clock, options.MaxLoginFailures, options.IsSSeries ? options.SSeriesLockoutDuration : null);
        var faults = new PbxFaults(hub, tokens, lockout);
        var recordings = new RecordingStore();
        var downloads = new RecordingDownloads(faults);
        var stopping = new CancellationTokenSource();
        WebApplication? app = null;
        SSeriesMode? sSeries = null;
        try
        {
            var engine = new CallEngine(clock, options, hub, random, recordings, stopping.Token);
            var api = new PbxApi(options, clock, tokens, lockout, hub, engine, faults, new PSeriesRecordingApi(options, clock, recordings, downloads), stopping.Token);
            sSeries = options.IsSSeries ? new SSeriesMode(options, clock, lockout, hub, engine, faults, new SSeriesRecordingApi(options, recordings, downloads)) : null;
            if (sSeries is not null)
            {
                faults.ExpireSSeriesTokens = sSeries.Tokens.ExpireAll;
            }

            // The empty builder reads no appsettings.json or environment: a test host's output folder may hold another
            // web project's settings (Kestrel endpoints, log levels) that must not leak into the simulator.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(PbxSimulator).Assembly.GetName().Name,
                EnvironmentName = Environments.Production,
            });
            builder.WebHost.UseKestrelCore();
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IHostLifetime, ManualHostLifetime>();
            if (options.TlsCertificate is { } certificate)
            {
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, options.Port, listen => listen.UseHttps(certificate)));
            }
            else
            {
                builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
            }

            app = builder.Build();

            // Fault switch Offline: an unreachable PBX answers nothing, so the connection is cut before any response.
            app.Use((context, next) =>
            {
                if (faults.Offline)
                {
                    context.Abort();
                    return Task.CompletedTask;
                }

                return next(context);
            });
            app.UseWebSockets();
            app.Run(sSeries is null ? api.HandleAsync : sSeries.Api.HandleAsync);
            await app.StartAsync(cancellationToken);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel did not report its bound address.");
            var address = addresses.Addresses.First();
            var traffic = options.CallsPerMinute > 0
                ? Task.Run(() => new TrafficGenerator(engine, clock, random, options).RunAsync(stopping.Token), CancellationToken.None)
                : Task.CompletedTask;
            return new PbxSimulator(app, stopping, hub, tokens, engine, recordings, downloads, faults, traffic, new Uri(address.TrimEnd('/') + "/"))
            {
                _sSeries = sSeries,
                Queues = [.. options.Queues],
            };
        }
        catch
        {
            await stopping.CancelAsync();
            if (sSeries is not null)
            {
                await sSeries.DisposeAsync();
            }

            if (app is not null)
            {
                await app.DisposeAsync();
            }

            stopping.Dispose();
            throw;
        }
    }

    // Inbound call from externalNumber to one extension; null talkFor = caller hangs up while ringing. record: true
    // records the call (once answered) whatever RecordingShare draws; so for the other Start methods.
    public string StartInboundCall(string externalNumber, string extension, TimeSpan ringFor, TimeSpan? talkFor, bool record = false) =>
        _engine.StartInbound(externalNumber, extension, ringFor, talkFor, record);

    // Inbound call to a ring group ringing all extensions; null answeredBy or talkFor = missed.
    public string StartInboundRingGroupCall(
        string externalNumber,
        IReadOnlyList<string> extensions,
        string ringGroupNumber,
        TimeSpan ringFor,
        string? answeredBy,
        TimeSpan? talkFor,
        bool record = false) =>
        _engine.StartInboundRingGroup(externalNumber, extensions, ringGroupNumber, ringFor, answeredBy, talkFor, record);

    // Inbound call through a queue (PbxSimulatorOptions.Queues): the caller waits at most maxWait, then hangs up
    // (abandoned). Agents ring one at a time in list order (linear), paused and busy agents skipped; the first
    // ringTimeouts agents rung let it ring out (30026 each; auto pause after the queue's RingTimeoutsBeforeAutoPause in a
    // row), then the next one answers after answerAfterRinging and talks for talkFor. Null answerAfterRinging or talkFor:
    // nobody answers and the caller waits until maxWait.
    public string StartInboundQueueCall(
        string externalNumber,
        string queueNumber,
        TimeSpan maxWait,
        int ringTimeouts,
        TimeSpan? answerAfterRinging,
        TimeSpan? talkFor,
        bool record = false) =>
        _engine.StartInboundQueue(externalNumber, queueNumber, maxWait, ringTimeouts, answerAfterRinging, talkFor, record);

    // Pauses a queue agent (30029 "Paused" with the reason); false when it was already paused.
    public bool PauseAgent(string queueNumber, string agent, string reason) => _engine.PauseAgent(queueNumber, agent, reason);

    // Unpauses a queue agent after a manual or an auto pause (30029 "Unpaused"); false when it was not paused.
    public bool UnpauseAgent(string queueNumber, string agent) => _engine.UnpauseAgent(queueNumber, agent);

    // Agents of the queue paused right now (manual or auto pause).
    public IReadOnlyCollection<string> PausedAgents(string queueNumber) => [.. _engine.PausedAgents(queueNumber).Keys];

    // Every agent pause and unpause the PBX reported, in order (a thread-safe snapshot).
    public IReadOnlyList<AgentStatusChange> AgentStatusChanges => _engine.AgentStatusChanges;

    // The configured queues.
    public IReadOnlyList<PbxQueueOptions> Queues { get; private init; } = [];

    // Outbound call; busy ends it with 30015 "486 Busy here" and CDR BUSY.
    public string StartOutboundCall(string extension, string externalNumber, TimeSpan ringFor, TimeSpan? talkFor, bool busy = false, bool record = false) =>
        _engine.StartOutbound(extension, externalNumber, ringFor, talkFor, busy, record);

    // Outbound call to a number the PBX cannot route: 30015 "NOT found" with "members": null at once; its FAILED CDR is
    // in cdr/search only, never pushed as 30012.
    public string StartUnroutableCall(string extension, string externalNumber) =>
        _engine.StartUnroutable(extension, externalNumber);

    // Extension-to-extension call.
    public string StartInternalCall(string fromExtension, string toExtension, TimeSpan ringFor, TimeSpan? talkFor, bool record = false) =>
        _engine.StartInternal(fromExtension, toExtension, ringFor, talkFor, record);

    // The recording file name of a finished, recorded call (as its CDR names it); null otherwise.
    public string? RecordingOf(string callId) => _recordings.FileOf(callId);

    // Audio downloads of that file that were sent in full (either family).
    public int RecordingDownloadCount(string fileName) => _downloads.CompletedCount(fileName);

    // Audio downloads being sent right now (held open by PbxFaults.RecordingDownloadDelay), so a test can start a second.
    public int RecordingDownloadsInFlight => _downloads.InFlight;

    // The PBX deleted the recording (storage cleanup, a user): both families then answer that it does not exist,
    // while CDRs keep naming it, as on a real PBX.
    public void DeleteRecording(string fileName) => _recordings.Delete(fileName);

    // Completes once the call is over on the PBX and its CDR is written (and emitted as 30012 where the PBX does).
    public Task WhenCallCompletedAsync(string callId, CancellationToken cancellationToken) =>
        _engine.WhenCompletedAsync(callId, cancellationToken);

    private static void ValidateQueues(PbxSimulatorOptions options)
    {
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queue in options.Queues)
        {
            if (string.IsNullOrWhiteSpace(queue.Number) || options.Extensions.Contains(queue.Number) || !numbers.Add(queue.Number))
            {
                throw new ArgumentException($"Queue number '{queue.Number}' must be unique and not an extension.", nameof(options));
            }

            if (queue.Agents.Count == 0 || queue.Agents.Any(a => !options.Extensions.Contains(a)) || queue.Agents.Distinct().Count() != queue.Agents.Count)
            {
                throw new ArgumentException($"Queue {queue.Number} needs one or more distinct agents, each an extension of the PBX.", nameof(options));
            }

            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(queue.AgentRingTimeout, TimeSpan.Zero, nameof(options));
            ArgumentOutOfRangeException.ThrowIfNegative(queue.RingTimeoutsBeforeAutoPause, nameof(options));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _hub.AbortAll();
        await _engine.DrainAsync();
        await _traffic;
        if (_sSeries is not null)
        {
            await _sSeries.DisposeAsync();
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
