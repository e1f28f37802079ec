namespace Telephony.Core.Storage;

public sealed class ExtensionRecord
{
    public string PbxId { get; init; } = "";
    public string Number { get; init; } = "";
    public string? Name { get; init; }
    public bool? Registered { get; init; }
    public string CallStatus { get; init; } = "idle";
    public string? Presence { get; init; }
    public DateTime UpdatedAt { get; init; }
}
