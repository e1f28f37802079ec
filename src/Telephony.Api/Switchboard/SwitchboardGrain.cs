using Telephony.Api.LiveEvents;
using Telephony.Api.PhoneExtensions;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Switchboard;

internal sealed class SwitchboardGrain(CallRepository calls, ExtensionRepository extensions, ILiveEventPublisher publisher, TimeProvider time) : Grain, ISwitchboardGrain
{
    private readonly Dictionary<Guid, CallRecord> _active = [];

    private string TenantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Rebuilt from the system of record, so a restart shows the same board.
        foreach (var call in await calls.ListActiveAsync(TenantId, cancellationToken))
        {
            _active[call.Id] = call;
        }
    }

    public Task CallChangedAsync(CallRecord call)
    {
        Track(call);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CallRecord>> GetActiveCallsAsync() =>
        Task.FromResult<IReadOnlyList<CallRecord>>([.. _active.Values.OrderByDescending(c => c.State.StartedAt)]);

    public Task CallsChangedAsync(IReadOnlyList<CallRecord> calls)
    {
        foreach (var call in calls)
        {
            Track(call);
        }

        return Task.CompletedTask;
    }

    private void Track(CallRecord call)
    {
        if (call.State.Status == CallStatus.Ended)
        {
            _active.Remove(call.Id);
        }
        else
        {
            _active[call.Id] = call;
        }
    }

    // One read and one write for the whole set; each frame still pushes the status it left the extension in.
    public async Task ExtensionsChangedAsync(string pbxId, IReadOnlyList<PbxEvent> events)
    {
        var numbers = events.Select(ExtensionOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (numbers.Count == 0)
        {
            return;
        }

        var current = (await extensions.FindManyAsync(TenantId, pbxId, numbers, CancellationToken.None)).ToDictionary(e => e.Number, StringComparer.Ordinal);
        var changes = new Dictionary<string, ExtensionChange>(StringComparer.Ordinal);
        foreach (var pbxEvent in events)
        {
            if (ExtensionOf(pbxEvent) is not { } number)
            {
                continue;
            }

            var change = changes.TryGetValue(number, out var seen) ? seen : ExtensionChange.From(current.GetValueOrDefault(number), pbxId, number);
            changes[number] = change = change.With(pbxEvent, time.GetUtcNow().UtcDateTime);
            await publisher.PublishAsync(TenantId, [number], LiveEventNames.ExtensionStatus, ExtensionStatusDto.From(change.Now));
        }

        await extensions.UpsertManyAsync(TenantId, [.. changes.Values.Select(c => c.ToWrite())], CancellationToken.None);
    }

    private static string? ExtensionOf(PbxEvent pbxEvent) => pbxEvent switch
    {
        ExtensionCallStatusChanged e => e.Extension,
        ExtensionRegistrationChanged e => e.Extension,
        ExtensionPresenceChanged e => e.Extension,
        ExtensionConfigurationChanged e => e.Extension,
        _ => null,
    };
}
