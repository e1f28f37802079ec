using Telephony.Core.Storage;

namespace Telephony.Api.PhoneExtensions;

/// <summary>An extension's live status: registration, call status (idle/ringing/busy), presence.</summary>
internal sealed record ExtensionStatusDto(string Number, string PbxId, string? Name, bool? Registered, string CallStatus, string? Presence, DateTimeOffset UpdatedAt)
{
    public static ExtensionStatusDto From(ExtensionRecord e) =>
        new(e.Number, e.PbxId, e.Name, e.Registered, e.CallStatus, e.Presence, new DateTimeOffset(DateTime.SpecifyKind(e.UpdatedAt, DateTimeKind.Utc)));
}
