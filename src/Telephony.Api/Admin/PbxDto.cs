using Telephony.Core.Tenancy;

namespace Telephony.Api.Admin;

internal sealed record PbxDto(string Id, string Name, string Kind, string TimeZone, string DefaultRegion, string? DateFormat, bool Connected, string? LinkReason)
{
    public static PbxDto From(PbxRecord p) => new(p.Id, p.Name, p.Kind, p.TimeZone, p.DefaultRegion, p.DateFormat, p.Connected, p.LinkReason);
}
