using Telephony.Core.Tenancy;

namespace Telephony.Api.Admin;

internal sealed record TenantDto(string Id, string Name, int SlaSeconds, int ShortAbandonSeconds)
{
    public static TenantDto From(TenantRecord t) => new(t.Id, t.Name, t.SlaSeconds, t.ShortAbandonSeconds);
}
