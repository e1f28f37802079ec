using Microsoft.Extensions.Options;
using Orleans.Placement;
using Telephony.Api.Customers;
using Telephony.Api.LiveEvents;
using Telephony.Api.PbxEvents;
using Telephony.Api.Switchboard;
using Telephony.Core.Calls;
using Telephony.Core.Customers;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Calls;

/// <summary>
/// Thin shell around <see cref="CallLifecycle"/>: loads the call from PostgreSQL on activation, applies
/// events, pushes each change from memory, then persists once per batch of frames through the silo's
/// write-behind (design.md §9: PostgreSQL stays off the push path).
/// Placed on the silo that first calls it — the one holding its PBX's ingest grain — so a PBX's frames reach their
/// calls without a network hop and without a cluster-wide placement decision per call.
/// </summary>
[PreferLocalPlacement]
internal sealed class CallGrain(
    CallRepository calls,
    CallLogWriteBehind callLogs,
    CallActivationReads activationReads,
    PbxSettingsLookup pbxSettings,
    ILiveEventPublisher publisher,
    CallMetrics metrics,
    CustomerLookup customers,
    IOptions<CustomerOptions> customerOptions,
    IOptions<CallTrackingOptions> options,
    TimeProvider time,
    ILogger<CallGrain> logger) : Grain, ICallGrain
{
    private string _tenantId = "";
    private string _pbxId = "";
    private string _pbxCallId = "";
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private string _region = "RU";
    private CallRecord? _call;
    private bool _unsaved;

    // The dedupe key of the frame the call was shown from before it was journaled; null once that was confirmed.
    private string? _shownEarly;
    private IGrainTimer? _deadline;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _pbxId, _pbxCallId) = CallGrainKey.Parse(this.GetPrimaryKeyString());
        var pbx = await pbxSettings.FindAsync(_tenantId, _pbxId, cancellationToken);
        _zone = PbxTimeZones.Find(pbx.TimeZone);
        _region = pbx.DefaultRegion;

        _call = await activationReads.FindAsync(_tenantId, _pbxId, _pbxCallId);
        ArmDeadline();
    }

    public Task<CallRecord?> GetAsync() => Task.FromResult(_call);

    public async Task ShowIfNewAsync(ParsedFrame frame)
    {
        if (_call is not null)
        {
            return;
        }

        await ChangeAsync(null, CallLifecycle.Apply(CallState.New(_pbxCallId), frame.Event, frame.ReceivedAt, _zone), frame);
        _shownEarly = frame.DedupeKey;

        // Nothing is stored before the journal has the frame; its apply saves the call whole.
        _unsaved = false;
    }

    public Task<CallRecord?> LinkCustomerAsync(CallCustomer customer) =>
        ChangeLinksAsync(
            call => call.Customer == customer,
            call => calls.SetCustomerAsync(_tenantId, call.Id, customer, CancellationToken.None),
            call => call with { Customer = customer });

    public Task<CallRecord?> LinkOrderAsync(string orderId) =>
        ChangeLinksAsync(
            call => call.Orders.Contains(orderId),
            call => calls.AddOrderAsync(_tenantId, call.Id, orderId, CancellationToken.None),
            call => call with { Orders = call.Orders.Add(orderId) });

    public Task<CallRecord?> AddNoteAsync(CallNote note) =>
        ChangeLinksAsync(
            _ => false,
            call => calls.AddNoteAsync(_tenantId, call.Id, note, CancellationToken.None),
            call => call with { Notes = call.Notes.Add(note) });

    public async Task AttachProfileAsync(CustomerProfile profile)
    {
        if (_call is null || _call.Customer is not null)
        {
            return;
        }

        await ChangeLinksAsync(
            _ => false,
            call => calls.SetCustomerAsync(_tenantId, call.Id, ToCustomer(profile), CancellationToken.None),
            call => call with { Customer = ToCustomer(profile), Profile = profile });
    }

    // The pop-up waits for the caller's profile only a bounded time; a slower lookup arrives as call:updated.
    private async Task RecognizeAsync(string e164)
    {
        var lookup = customers.FindAsync(_tenantId, e164);
        var budget = customerOptions.Value.PopupBudget;
        if (!lookup.IsCompleted && budget > TimeSpan.Zero)
        {
            await Task.WhenAny(lookup, Task.Delay(budget, time));
        }

        if (lookup.IsCompletedSuccessfully)
        {
            if (lookup.Result is { } profile)
            {
                _call = _call! with { Customer = ToCustomer(profile), Profile = profile };
            }

            return;
        }

        var self = this.AsReference<ICallGrain>();
        _ = lookup.ContinueWith(
            t => t.IsCompletedSuccessfully && t.Result is { } late ? self.AttachProfileAsync(late) : Task.CompletedTask,
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default).Unwrap();
    }

    private static CallCustomer ToCustomer(CustomerProfile profile) => new(profile.CustomerId, profile.Name, profile.Phone);

    // People's links are written straight through (no PBX event to replay them from), then pushed.
    private async Task<CallRecord?> ChangeLinksAsync(Func<CallRecord, bool> unchanged, Func<CallRecord, Task> persist, Func<CallRecord, CallRecord> apply)
    {
        if (_call is null || unchanged(_call))
        {
            return _call;
        }

        await SaveIfUnsavedAsync();
        if (_shownEarly is null)
        {
            // Shown early, the call has no row yet: its confirming save writes it whole, this link included.
            await persist(_call);
        }

        _call = apply(_call);
        await PublishAsync(_call.State, _call);
        if (_call.State.Status != CallStatus.Ended)
        {
            await GrainFactory.GetGrain<ISwitchboardGrain>(_tenantId).CallChangedAsync(_call);
        }

        return _call;
    }

    public async Task<CallRecord?> ApplyAsync(IReadOnlyList<ParsedFrame> frames)
    {
        // The first apply after an early show confirms it: the call as shown is saved and goes to the switchboard, and
        // the frame it was shown from is not applied (or pushed) twice.
        var shownEarly = _shownEarly;
        var changed = shownEarly is not null;
        _unsaved |= changed;
        _shownEarly = null;
        foreach (var frame in frames)
        {
            if (string.Equals(frame.DedupeKey, shownEarly, StringComparison.Ordinal))
            {
                continue;
            }

            var before = _call?.State;
            var after = CallLifecycle.Apply(before ?? CallState.New(_pbxCallId), frame.Event, frame.ReceivedAt, _zone);
            if (before is null || !ReferenceEquals(before, after))
            {
                await ChangeAsync(before, after, frame);
                changed = true;
            }
        }

        // A replayed frame changes nothing in memory, but the database may have lost its effect (call logs commit
        // without waiting for the disk): write the call again.
        _unsaved |= _call is not null && frames.Any(f => f.Replayed);

        // Once for the whole batch; a repeated frame changes nothing, but a save that failed earlier (database down) is retried now.
        await SaveIfUnsavedAsync();
        if (!changed)
        {
            return null;
        }

        AfterChange();
        return _call;
    }

    // In memory and pushed; persisted by the caller.
    // frame: the PBX frame behind the change; null when the service itself ends a call.
    private async Task ChangeAsync(CallState? before, CallState after, ParsedFrame? frame)
    {
        // Normalising a number is costly (libphonenumber); a call's external number rarely changes after its first frame.
        var e164 = _call is not null && string.Equals(_call.State.ExternalNumber, after.ExternalNumber, StringComparison.Ordinal)
            ? _call.ExternalE164
            : PhoneNumber.ToE164(after.ExternalNumber, _region);
        _call = _call is null
            ? CallRecord.From(_tenantId, _pbxId, Guid.CreateVersion7(), after, e164)
            : _call with { State = after, ExternalE164 = e164 };
        _unsaved = true;
        if (before is null && e164 is not null && _call.Customer is null)
        {
            await RecognizeAsync(e164);
        }

        if (CallLifecycle.IsFinal(after) && (before is null || !CallLifecycle.IsFinal(before)))
        {
            metrics.Ended(after);
        }

        await PublishAsync(before, _call, frame is { Replayed: false } ? frame.ReceivedAt : null);
    }

    private void AfterChange()
    {
        ArmDeadline();
        if (CallLifecycle.IsFinal(_call!.State))
        {
            DeactivateOnIdle();
        }
    }

    private async Task SaveIfUnsavedAsync()
    {
        if (_unsaved && _call is not null)
        {
            await callLogs.SaveAsync(_call);
            _unsaved = false;
        }
    }

    // receivedAt: when the bridge received the frame behind this change (null for a replay or a person's edit): the push latency.
    private async Task PublishAsync(CallState? before, CallRecord call, DateTimeOffset? receivedAt = null)
    {
        var payload = CallDto.For(call);
        IEnumerable<string> eventNames = ReferenceEquals(before, call.State) ? [LiveEventNames.CallUpdated] : LiveCallEvents.Between(before, call.State);
        var extensions = call.State.Legs.Select(l => l.Extension).Append(call.State.Extension).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        foreach (var eventName in eventNames)
        {
            try
            {
                await publisher.PublishAsync(_tenantId, extensions, eventName, payload);
                if (receivedAt is { } frameReceived)
                {
                    metrics.Pushed(eventName, time.GetUtcNow() - frameReceived);
                }
            }
            catch (Exception ex)
            {
                // A push is best effort; the call log must still be written.
                Log.PushFailed(logger, ex, eventName, _pbxCallId);
            }
        }
    }

    private void ArmDeadline()
    {
        _deadline?.Dispose();
        _deadline = null;
        if (_call is null || CallLifecycle.IsFinal(_call.State))
        {
            return;
        }

        var state = _call.State;
        var due = state.Status == CallStatus.Ended
            ? (state.EndedAt ?? state.LastEventAt) + options.Value.CdrGracePeriod
            : state.LastEventAt + options.Value.StuckCallTimeout;
        var delay = due - time.GetUtcNow();
        _deadline = this.RegisterGrainTimer(FinalizeAsync, new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan));
    }

    public Task ReconcileGoneAsync() => FinalizeAsync(CancellationToken.None);

    private async Task FinalizeAsync(CancellationToken cancellationToken)
    {
        if (_call is null || CallLifecycle.IsFinal(_call.State))
        {
            return;
        }

        var before = _call.State;
        var after = CallLifecycle.FinalizeWithoutCdr(before, time.GetUtcNow());
        if (!ReferenceEquals(before, after))
        {
            Log.FinalizedWithoutCdr(logger, _pbxCallId);
            await ChangeAsync(before, after, frame: null);
            await SaveIfUnsavedAsync();
            await GrainFactory.GetGrain<ISwitchboardGrain>(_tenantId).CallChangedAsync(_call!);
            AfterChange();
        }
    }
}
