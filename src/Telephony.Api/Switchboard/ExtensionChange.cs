using Telephony.Core.Storage;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Switchboard;

/// <summary>
/// An extension's status folded over several frames: what it is now (pushed after each frame) and which fields the
/// frames set, so the one write at the end leaves the fields they did not touch as they are stored.
/// </summary>
internal sealed record ExtensionChange(ExtensionRecord Now, bool RegisteredSet, bool PresenceSet)
{
    public static ExtensionChange From(ExtensionRecord? stored, string pbxId, string number) =>
        new(stored ?? new ExtensionRecord { PbxId = pbxId, Number = number }, false, false);

    // Registration and presence frames say nothing about the call status; it stays what it was.
    public ExtensionChange With(PbxEvent pbxEvent, DateTime at) => pbxEvent switch
    {
        ExtensionCallStatusChanged e => this with { Now = Copy(callStatus: StorageNames.Of(e.Status), at: at) },
        ExtensionRegistrationChanged e => this with { Now = Copy(registered: e.Registered, at: at), RegisteredSet = true },
        ExtensionPresenceChanged e => this with { Now = Copy(presence: e.Presence, at: at), PresenceSet = true },
        _ => this with { Now = Copy(at: at) },
    };

    public ExtensionRecord ToWrite() => new()
    {
        PbxId = Now.PbxId,
        Number = Now.Number,
        CallStatus = Now.CallStatus,
        Registered = RegisteredSet ? Now.Registered : null,
        Presence = PresenceSet ? Now.Presence : null,
    };

    private ExtensionRecord Copy(DateTime at, string? callStatus = null, bool? registered = null, string? presence = null) => new()
    {
        PbxId = Now.PbxId,
        Number = Now.Number,
        Name = Now.Name,
        Registered = registered ?? Now.Registered,
        Presence = presence ?? Now.Presence,
        CallStatus = callStatus ?? Now.CallStatus,
        UpdatedAt = at,
    };
}
