using System.ComponentModel;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Admin;

/// <summary>A PBX as its admin sees it: the connection without its secret, only whether one is stored.</summary>
internal sealed record PbxDto(
    string Id,
    string Name,
    string Kind,
    string TimeZone,
    string DefaultRegion,
    string? DateFormat,
    bool Connected,
    string? LinkReason,
    string? Host,
    int? Port,
    string? ApiVersion,
    string? ClientId,
    [property: Description("Whether a client secret is stored. The secret itself is never returned.")] bool HasClientSecret,
    string? TlsFingerprint)
{
    public static PbxDto From(PbxRecord p) => new(
        p.Id, p.Name, p.Kind, p.TimeZone, p.DefaultRegion, p.DateFormat, p.Connected, p.LinkReason,
        p.Host, p.Port, p.ApiVersion, p.ClientId, p.HasClientSecret, p.TlsFingerprint);
}
