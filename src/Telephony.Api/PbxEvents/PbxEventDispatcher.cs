using Telephony.Api.Calls;
using Telephony.Api.Switchboard;
using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>Which grain owns a frame, and handing frames to it: a call's frames to its call grain, extension frames to the tenant's switchboard.</summary>
internal sealed class PbxEventDispatcher(IGrainFactory grains)
{
    /// <summary>The owner key of the tenant's extension frames (call ids never start with '#').</summary>
    public const string Extensions = "#extensions";

    /// <summary>The call id of a call frame, <see cref="Extensions"/> for an extension frame, null when nothing applies it.</summary>
    public static string? OwnerOf(ParsedFrame frame) => frame.Event switch
    {
        CallStatusChanged or CallFailed or CallDetailRecord or SatisfactionSurveyed => PbxEventCallId.Of(frame.Event),
        ExtensionCallStatusChanged or ExtensionRegistrationChanged or ExtensionPresenceChanged or ExtensionConfigurationChanged => Extensions,
        _ => null,
    };

    /// <summary>Applies one owner's frames in order; the call as it is now when they changed a call, else null.</summary>
    public async Task<CallRecord?> ApplyAsync(string tenantId, string pbxId, string owner, IReadOnlyList<ParsedFrame> frames)
    {
        if (owner == Extensions)
        {
            await grains.GetGrain<ISwitchboardGrain>(tenantId).ExtensionsChangedAsync(pbxId, [.. frames.Select(f => f.Event)]);
            return null;
        }

        return await grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, pbxId, owner)).ApplyAsync(frames);
    }

    /// <summary>Shows a call from its first frame before that frame is journaled, when the call grain has no call yet.</summary>
    public Task ShowIfNewAsync(string tenantId, string pbxId, string callId, ParsedFrame frame) =>
        grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, pbxId, callId)).ShowIfNewAsync(frame);

    public Task CallsChangedAsync(string tenantId, IReadOnlyList<CallRecord> calls) =>
        grains.GetGrain<ISwitchboardGrain>(tenantId).CallsChangedAsync(calls);
}
