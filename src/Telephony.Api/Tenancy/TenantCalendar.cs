using Telephony.Api.Calls;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Tenancy;

/// <summary>
/// A tenant's days and numbers: its (first) PBX's IANA zone, for date ranges, and its default phone region.
/// </summary>
internal sealed record TenantCalendar(string ZoneId, TimeZoneInfo Zone, string Region)
{
    public static async Task<TenantCalendar> LoadAsync(TenantRepository tenants, string tenantId, CancellationToken cancellationToken)
    {
        var pbx = (await tenants.ListPbxesAsync(tenantId, cancellationToken)) is [var first, ..] ? first : null;
        var zoneId = pbx?.TimeZone ?? "UTC";
        return new TenantCalendar(zoneId, PbxTimeZones.Find(zoneId), pbx?.DefaultRegion ?? "RU");
    }

    /// <summary>The UTC instant of the tenant's local midnight that starts <paramref name="day"/>.</summary>
    public DateTimeOffset StartOfDayUtc(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
}
