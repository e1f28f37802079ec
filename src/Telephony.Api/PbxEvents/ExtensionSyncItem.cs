namespace Telephony.Api.PbxEvents;

internal sealed class ExtensionSyncItem
{
    public string? Number { get; init; }
    public string? Name { get; init; }
    public bool? Registered { get; init; }
    public string? Presence { get; init; }
}
