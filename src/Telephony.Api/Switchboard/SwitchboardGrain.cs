using Telephony.Api.LiveEvents;
using Telephony.Api.PhoneExtensions;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Switchboard;

internal sealed class SwitchboardGrain(CallRepository calls, ExtensionRepository extensions, ILiveEventPublisher publisher) : Grain, ISwitchboardGrain
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
        if (call.State.Status == CallStatus.Ended)
        {
            _active.Remove(call.Id);
        }
        else
        {
            _active[call.Id] = call;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CallRecord>> GetActiveCallsAsync() =>
        Task.FromResult<IReadOnlyList<CallRecord>>([.. _active.Values.OrderByDescending(c => c.State.StartedAt)]);

    public async Task ExtensionChangedAsync(string pbxId, PbxEvent pbxEvent)
    {
        ExtensionRecord? change = pbxEvent switch
        {
            ExtensionCallStatusChanged e => new ExtensionRecord { PbxId = pbxId, Number = e.Extension, CallStatus = StorageNames.Of(e.Status) },
            ExtensionRegistrationChanged e => await WithCurrentStatusAsync(new ExtensionRecord { PbxId = pbxId, Number = e.Extension, Registered = e.Registered }),
            ExtensionPresenceChanged e => await WithCurrentStatusAsync(new ExtensionRecord { PbxId = pbxId, Number = e.Extension, Presence = e.Presence }),
            ExtensionConfigurationChanged e => await WithCurrentStatusAsync(new ExtensionRecord { PbxId = pbxId, Number = e.Extension }),
            _ => null,
        };
        if (change is null)
        {
            return;
        }

        await extensions.UpsertAsync(TenantId, change, CancellationToken.None);
        var stored = await extensions.FindAsync(TenantId, change.Number, CancellationToken.None);
        if (stored is not null)
        {
            await publisher.PublishAsync(TenantId, [stored.Number], LiveEventNames.ExtensionStatus, ExtensionStatusDto.From(stored));
        }
    }

    // Registration and presence events say nothing about the call status; keep the one we have.
    private async Task<ExtensionRecord> WithCurrentStatusAsync(ExtensionRecord change)
    {
        var current = await extensions.FindAsync(TenantId, change.Number, CancellationToken.None);
        return current is null ? change : new ExtensionRecord
        {
            PbxId = change.PbxId,
            Number = change.Number,
            Name = change.Name,
            Registered = change.Registered,
            Presence = change.Presence,
            CallStatus = current.CallStatus,
        };
    }
}
