namespace Telephony.Api.PbxEvents;

/// <summary>The PBX's extension list as the bridge read it (P-Series <c>extension/list</c>), at connect and on 30022.</summary>
internal sealed class ExtensionSyncRequest
{
    public List<ExtensionSyncItem>? Extensions { get; init; }
}
