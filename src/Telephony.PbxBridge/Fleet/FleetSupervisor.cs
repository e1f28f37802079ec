using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// Runs a fleet bridge (issue 11 §3): reads the API's fleet listing, takes leases by the fair-share rule
/// (<see cref="FleetPlanner"/>), runs one <see cref="FleetUnit"/> per lease held and renews them, and stops a unit within
/// seconds when its PBX is removed, its connection changes (then it restarts with the new settings) or its lease is lost.
/// Units start and stop on tasks of their own, one after another per PBX, so neither a slow PBX nor a slow stop holds up
/// this loop or another PBX, and two units never share a PBX's data folder.
/// </summary>
/// <remarks>
/// Timings: a lease lasts <see cref="LeaseTtl"/> and is renewed every <see cref="RenewEvery"/>, so two renewals can fail
/// before it ends; the listing is read every <see cref="PollInterval"/> (plus up to a second of jitter, so bridges do not
/// move in step). A bridge that dies stops renewing: its leases end within 30 s, and the next pass of another bridge
/// takes them — a takeover within about 40 s. A unit whose lease could not be renewed stops shortly before the lease
/// ends at the API, so it never overlaps with the next holder; the fencing epoch stops whatever it still had in flight.
/// </remarks>
internal sealed partial class FleetSupervisor(
    IHttpClientFactory httpClientFactory,
    FleetUnitFactory unitFactory,
    IOptions<FleetBridgeOptions> options,
    IOptions<PbxBridgeOptions> tuning,
    TimeProvider time,
    ILogger<FleetSupervisor> logger) : BackgroundService
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private const int Parallelism = 8;
    private static readonly TimeSpan PollJitter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StartFailureCooldown = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnitStopTimeout = TimeSpan.FromSeconds(10);

    // Touched by the loop only (and by StopAsync once the loop has ended).
    private readonly Dictionary<FleetPbxKey, FleetSlot> _slots = [];
    private readonly Dictionary<FleetPbxKey, Task> _lifecycles = [];
    private readonly Dictionary<FleetPbxKey, DateTimeOffset> _coolingDown = [];
    private readonly Dictionary<FleetPbxKey, string> _unservable = [];

    // Written by lease handlers and lifecycle tasks; the loop wakes on it.
    private readonly Channel<(FleetUnitLease Lease, string Why, bool Failed)> _endings =
        Channel.CreateUnbounded<(FleetUnitLease Lease, string Why, bool Failed)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<FleetPbxKey, FleetUnit> _running = new();
    private readonly ConcurrentDictionary<string, FleetUnit> _pushTargets = new(StringComparer.Ordinal);
    private volatile FleetStatus _status = new(null, "the fleet listing has not been read yet", 0, 0);

    public FleetStatus Status => _status;

    /// <summary>The units running now.</summary>
    public IReadOnlyCollection<FleetUnit> Units => [.. _running.Values];

    /// <summary>
    /// The S-Series unit whose push URL ends in <paramref name="secret"/>, or null. A hash lookup on the whole secret:
    /// its timing says nothing about how much of a guess was right.
    /// </summary>
    public FleetUnit? FindByPushSecret(string secret) => _pushTargets.GetValueOrDefault(secret);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(logger, options.Value.BridgeId);
        var nextPass = time.GetUtcNow();

        // Why a loop that never gives up: the API may be away for a while; leases then lapse and units stop, and the
        // next pass that reaches it takes up what is free again.
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                EndLostLeases();
                if (time.GetUtcNow() >= nextPass)
                {
                    try
                    {
                        await PassAsync(stoppingToken);
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        // A listing this bridge cannot make sense of must not stop the PBXs it already serves.
                        Log.PassFailed(logger, ex.GetType().Name);
                    }

                    nextPass = time.GetUtcNow() + PollInterval + (PollJitter * Random.Shared.NextDouble());
                }

                await WaitForEndingAsync(nextPass - time.GetUtcNow(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Units first (each logs out of its PBX and reports its link down), then their leases, so the next holder can
        // start at once on a PBX nobody else is talking to.
        foreach (var slot in _slots.Values.ToList())
        {
            End(slot, release: true, "the bridge is stopping");
        }

        try
        {
            await Task.WhenAll(_lifecycles.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.StopCutShort(logger, _lifecycles.Values.Count(t => !t.IsCompleted));
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        await RenewAsync(stoppingToken);

        IReadOnlyList<FleetPbx> listing;
        try
        {
            listing = await WithTimeoutAsync(ct => Client().ListPbxesAsync(ct), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var reason = NetworkErrors.Describe(ex, "the API");
            Log.ListingFailed(logger, reason);
            _status = _status with { ListingError = reason, Held = _slots.Count };
            return;
        }

        var settings = options.Value;
        var alive = await AnnounceAsync(settings.BridgeId, stoppingToken);
        var now = time.GetUtcNow();
        foreach (var cooled in _coolingDown.Where(c => c.Value <= now).Select(c => c.Key).ToList())
        {
            _coolingDown.Remove(cooled);
        }

        listing = [.. listing.DistinctBy(p => p.Key)];
        var byKey = listing.ToDictionary(p => p.Key);
        var plan = FleetPlanner.Plan(
            [.. listing.Select(View)],
            _slots.ToDictionary(s => s.Key, s => s.Value.ConnectionVersion),
            settings.BridgeId,
            now,
            Random.Shared,
            _coolingDown.Keys.ToHashSet(),
            alive);
        foreach (var gone in _unservable.Keys.Where(k => !byKey.ContainsKey(k)).ToList())
        {
            _unservable.Remove(gone);
        }

        foreach (var key in plan.Release)
        {
            End(_slots[key], release: true, byKey.ContainsKey(key) ? "it can no longer be served as listed" : "it is no longer in the fleet listing");
        }

        foreach (var key in plan.HandOver)
        {
            End(_slots[key], release: true, "another bridge is alive with fewer PBXs (fair share)");
        }

        foreach (var key in plan.Restart)
        {
            Restart(_slots[key], byKey[key]);
        }

        await AcquireAsync([.. plan.Acquire.Select(k => byKey[k])], stoppingToken);
        foreach (var idle in _lifecycles.Where(l => l.Value.IsCompleted && !_slots.ContainsKey(l.Key)).Select(l => l.Key).ToList())
        {
            _lifecycles.Remove(idle);
        }

        _status = new FleetStatus(now, null, listing.Count, _slots.Count);
        Log.Pass(logger, listing.Count, _slots.Count, plan.LiveBridges, plan.FairShare);
    }

    // Without an answer the pass goes on with what the leases tell: announcing is for fairness, not for safety.
    private async Task<IReadOnlyList<string>?> AnnounceAsync(string bridgeId, CancellationToken stoppingToken)
    {
        try
        {
            return await WithTimeoutAsync(ct => Client().AnnounceAsync(bridgeId, ct), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.AnnounceFailed(logger, NetworkErrors.Describe(ex, "the API"));
            return null;
        }
    }

    private FleetPbxView View(FleetPbx pbx)
    {
        var reason = FleetUnitOptions.Unservable(tuning.Value, options.Value, pbx);
        if (reason is null)
        {
            _unservable.Remove(pbx.Key);
        }
        else if (!_unservable.TryGetValue(pbx.Key, out var logged) || !string.Equals(logged, reason, StringComparison.Ordinal))
        {
            _unservable[pbx.Key] = reason;
            Log.Unservable(logger, pbx.Key.ToString(), reason);
        }

        return new FleetPbxView(pbx.Key, reason is null ? pbx.ConnectionVersion() : null, pbx.Lease?.Holder, pbx.Lease?.ExpiresAt);
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        var bridgeId = options.Value.BridgeId;
        var due = _slots.Values.Where(s => time.GetUtcNow() - s.RenewedAt >= RenewEvery).ToList();
        var answers = new ConcurrentDictionary<FleetSlot, (LeaseAnswer? Answer, string? Error, DateTimeOffset SentAt)>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken }, async (slot, ct) =>
        {
            var sentAt = time.GetUtcNow();
            try
            {
                var answer = await WithTimeoutAsync(t => Client().AcquireAsync(slot.Lease.Pbx, bridgeId, slot.Lease.Epoch, LeaseTtl, t), ct);
                answers[slot] = (answer, null, sentAt);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                answers[slot] = (null, NetworkErrors.Describe(ex, "the API"), sentAt);
            }
        });

        foreach (var (slot, (answer, error, sentAt)) in answers)
        {
            if (!_slots.TryGetValue(slot.Lease.Pbx, out var current) || current != slot)
            {
                continue;
            }

            switch (answer?.Outcome)
            {
                case LeaseOutcome.Granted when answer.Lease!.Epoch == slot.Lease.Epoch:
                    slot.RenewedAt = sentAt;
                    break;
                case LeaseOutcome.Granted:
                    // It had expired and was ours again at a new epoch: another bridge may have served it in between, so a
                    // fresh unit under the new epoch catches up as after any takeover.
                    End(slot, release: false, "its lease expired before it was renewed");
                    Add(slot.Pbx, answer.Lease!, sentAt);
                    break;
                case LeaseOutcome.HeldByOther:
                    slot.Lease.MarkLost();
                    End(slot, release: false, "another bridge holds its lease now");
                    break;
                case LeaseOutcome.NotServed:
                    End(slot, release: true, "the API no longer serves it to fleet bridges");
                    break;
                default:
                    Log.RenewFailed(logger, slot.Lease.Pbx.ToString(), error ?? "no answer", slot.RenewedAt + LeaseTtl);
                    break;
            }
        }

        // A lease not renewed in time ends at the API whatever happens here: stop before the next holder can start.
        var now = time.GetUtcNow();
        foreach (var slot in _slots.Values.Where(s => now >= s.RenewedAt + LeaseTtl - ExpiryMargin).ToList())
        {
            slot.Lease.MarkLost();
            End(slot, release: false, "its lease could not be renewed before it ended");
        }
    }

    private async Task AcquireAsync(IReadOnlyList<FleetPbx> pbxes, CancellationToken stoppingToken)
    {
        var bridgeId = options.Value.BridgeId;
        var granted = new ConcurrentBag<(FleetPbx Pbx, FleetLeaseState Lease, DateTimeOffset SentAt)>();
        try
        {
            await Parallel.ForEachAsync(pbxes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken }, async (pbx, ct) =>
            {
                var sentAt = time.GetUtcNow();
                try
                {
                    var answer = await WithTimeoutAsync(t => Client().AcquireAsync(pbx.Key, bridgeId, epoch: null, LeaseTtl, t), ct);
                    if (answer.Outcome == LeaseOutcome.Granted)
                    {
                        granted.Add((pbx, answer.Lease!, sentAt));
                    }
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    Log.AcquireFailed(logger, pbx.Key.ToString(), NetworkErrors.Describe(ex, "the API"));
                }
            });
        }
        finally
        {
            // Even when stopping: a lease taken is held, so StopAsync releases it rather than leaving it to expire.
            foreach (var (pbx, lease, sentAt) in granted)
            {
                Add(pbx, lease, sentAt);
            }
        }
    }

    private void Add(FleetPbx pbx, FleetLeaseState state, DateTimeOffset sentAt)
    {
        var lease = new FleetUnitLease(pbx.Key, options.Value.BridgeId, state.Epoch, OnLeaseLost);
        var slot = new FleetSlot(pbx, lease, sentAt);
        _slots[pbx.Key] = slot;
        Log.LeaseTaken(logger, pbx.Key.ToString(), state.Epoch);
        Schedule(pbx.Key, () => StartUnitAsync(slot, pbx));
    }

    private void Restart(FleetSlot slot, FleetPbx pbx)
    {
        slot.Pbx = pbx;
        slot.ConnectionVersion = pbx.ConnectionVersion();
        Log.Restarting(logger, pbx.Key.ToString());
        Schedule(pbx.Key, async () =>
        {
            await StopUnitAsync(slot);
            await StartUnitAsync(slot, pbx);
        });
    }

    private void End(FleetSlot slot, bool release, string why)
    {
        var key = slot.Lease.Pbx;
        if (_slots.TryGetValue(key, out var current) && current == slot)
        {
            _slots.Remove(key);
        }

        if (release)
        {
            Log.Ending(logger, key.ToString(), slot.Lease.Epoch, why);
        }
        else
        {
            Log.LeaseLost(logger, key.ToString(), slot.Lease.Epoch, why);
        }

        Schedule(key, async () =>
        {
            await StopUnitAsync(slot);
            if (release)
            {
                await ReleaseAsync(slot.Lease);
            }
        });
    }

    // One PBX's starts and stops run one after another on a chain of their own, off the loop.
    private void Schedule(FleetPbxKey key, Func<Task> work)
    {
        var previous = _lifecycles.GetValueOrDefault(key) ?? Task.CompletedTask;
        _lifecycles[key] = previous.ContinueWith(
            async _ =>
            {
                try
                {
                    await work();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.LifecycleFailed(logger, key.ToString(), ex.GetType().Name);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.DenyChildAttach,
            TaskScheduler.Default).Unwrap();
    }

    private async Task StartUnitAsync(FleetSlot slot, FleetPbx pbx)
    {
        if (slot.Lease.IsLost)
        {
            return;
        }

        try
        {
            var unit = unitFactory.Create(pbx, slot.Lease);
            slot.Unit = unit;

            // Not the loop's token: it would cancel the unit's loops before their StopAsync runs, unlike a host.
            await unit.StartAsync(CancellationToken.None);
            _running[unit.Pbx] = unit;
            if (unit.PushSecret is { } secret)
            {
                _pushTargets[secret.Value] = unit;
            }

            Log.UnitStarted(logger, pbx.Key.ToString(), pbx.IsSSeries ? "S-Series" : "P-Series", slot.Lease.Epoch);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.UnitStartFailed(logger, pbx.Key.ToString(), ex.GetType().Name, ex is IOException or UnauthorizedAccessException ? ": " + ex.Message : "");
            await StopUnitAsync(slot);
            _endings.Writer.TryWrite((slot.Lease, "its unit failed to start", true));
        }
    }

    private async Task StopUnitAsync(FleetSlot slot)
    {
        if (slot.Unit is not { } unit)
        {
            return;
        }

        slot.Unit = null;
        _running.TryRemove(new KeyValuePair<FleetPbxKey, FleetUnit>(unit.Pbx, unit));
        if (unit.PushSecret is { } secret)
        {
            _pushTargets.TryRemove(new KeyValuePair<string, FleetUnit>(secret.Value, unit));
        }

        using var timeout = new CancellationTokenSource(UnitStopTimeout, time);
        await unit.StopAsync(timeout.Token);
        await unit.DisposeAsync();
        Log.UnitStopped(logger, unit.Pbx.ToString());
    }

    private async Task ReleaseAsync(FleetUnitLease lease)
    {
        if (lease.IsLost)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout, time);
            if (!await Client().ReleaseAsync(lease.Pbx, lease.BridgeId, lease.Epoch, timeout.Token))
            {
                Log.ReleaseRefused(logger, lease.Pbx.ToString(), lease.Epoch);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            // It expires on its own within the TTL.
            Log.ReleaseFailed(logger, lease.Pbx.ToString(), NetworkErrors.Describe(ex, "the API"));
        }
    }

    private void OnLeaseLost(FleetUnitLease lease) =>
        _endings.Writer.TryWrite((lease, "the API answered that its lease is no longer this bridge's", false));

    private void EndLostLeases()
    {
        while (_endings.Reader.TryRead(out var ending))
        {
            if (_slots.TryGetValue(ending.Lease.Pbx, out var slot) && slot.Lease == ending.Lease)
            {
                if (ending.Failed)
                {
                    _coolingDown[ending.Lease.Pbx] = time.GetUtcNow() + StartFailureCooldown;
                }

                End(slot, release: ending.Failed, ending.Why);
            }
        }
    }

    private Task WaitForEndingAsync(TimeSpan delay, CancellationToken stoppingToken) =>
        ChannelWait.ForItemOrTimeoutAsync(_endings.Reader, delay, time, stoppingToken);

    private static async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        return await call(timeout.Token);
    }

    private FleetApiClient Client() => new(httpClientFactory.CreateClient(FleetApiClient.HttpClientName));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Fleet bridge {BridgeId} started: reading the API's fleet listing")]
        public static partial void Started(ILogger logger, string bridgeId);

        [LoggerMessage(2, LogLevel.Warning, "Reading the fleet listing failed: {Reason}")]
        public static partial void ListingFailed(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Debug, "Fleet pass: {Listed} PBXs listed, {Held} held here, {Live} live bridges, fair share {FairShare}")]
        public static partial void Pass(ILogger logger, int listed, int held, int live, int fairShare);

        [LoggerMessage(4, LogLevel.Warning, "PBX {Pbx} is not served: {Reason}")]
        public static partial void Unservable(ILogger logger, string pbx, string reason);

        [LoggerMessage(5, LogLevel.Information, "Took the lease of PBX {Pbx} at epoch {Epoch}")]
        public static partial void LeaseTaken(ILogger logger, string pbx, long epoch);

        [LoggerMessage(6, LogLevel.Warning, "Renewing the lease of PBX {Pbx} failed ({Reason}); it ends at {EndsAt:O} unless renewed")]
        public static partial void RenewFailed(ILogger logger, string pbx, string reason, DateTimeOffset endsAt);

        [LoggerMessage(7, LogLevel.Warning, "Taking the lease of PBX {Pbx} failed: {Reason}")]
        public static partial void AcquireFailed(ILogger logger, string pbx, string reason);

        [LoggerMessage(8, LogLevel.Information, "The connection of PBX {Pbx} changed: restarting its link with the new settings")]
        public static partial void Restarting(ILogger logger, string pbx);

        [LoggerMessage(9, LogLevel.Information, "Stopping PBX {Pbx} (lease epoch {Epoch}): {Why}")]
        public static partial void Ending(ILogger logger, string pbx, long epoch, string why);

        [LoggerMessage(10, LogLevel.Information, "Serving {Kind} PBX {Pbx} under lease epoch {Epoch}")]
        public static partial void UnitStarted(ILogger logger, string pbx, string kind, long epoch);

        [LoggerMessage(11, LogLevel.Error, "Starting the link of PBX {Pbx} failed ({Kind}{Detail}); its lease is given up and it is not taken again for a minute")]
        public static partial void UnitStartFailed(ILogger logger, string pbx, string kind, string detail);

        [LoggerMessage(12, LogLevel.Information, "Stopped the link of PBX {Pbx}")]
        public static partial void UnitStopped(ILogger logger, string pbx);

        [LoggerMessage(13, LogLevel.Warning, "Releasing the lease of PBX {Pbx} at epoch {Epoch} was refused: it was no longer this bridge's")]
        public static partial void ReleaseRefused(ILogger logger, string pbx, long epoch);

        [LoggerMessage(14, LogLevel.Warning, "Releasing the lease of PBX {Pbx} failed ({Reason}); it expires on its own")]
        public static partial void ReleaseFailed(ILogger logger, string pbx, string reason);

        [LoggerMessage(15, LogLevel.Error, "Starting or stopping PBX {Pbx} failed unexpectedly ({Kind})")]
        public static partial void LifecycleFailed(ILogger logger, string pbx, string kind);

        [LoggerMessage(17, LogLevel.Warning, "Stopping PBX {Pbx} at once, without releasing lease epoch {Epoch}: {Why}")]
        public static partial void LeaseLost(ILogger logger, string pbx, long epoch, string why);

        [LoggerMessage(18, LogLevel.Error, "A fleet pass failed unexpectedly ({Kind}); the PBXs served go on, and the next pass tries again")]
        public static partial void PassFailed(ILogger logger, string kind);

        [LoggerMessage(16, LogLevel.Warning, "Stopping the fleet was cut short with {Count} PBXs still stopping; their leases expire on their own")]
        public static partial void StopCutShort(ILogger logger, int count);

        [LoggerMessage(19, LogLevel.Warning, "Announcing this bridge to the API failed ({Reason}); this pass counts only the bridges holding leases")]
        public static partial void AnnounceFailed(ILogger logger, string reason);
    }
}
