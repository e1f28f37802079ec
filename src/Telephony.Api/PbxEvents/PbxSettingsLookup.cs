using Microsoft.Extensions.Caching.Hybrid;
using Telephony.Core.Tenancy;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// What frames of a PBX are read with: its date order, time zone and region. Cached for half a minute, since every
/// ingested batch and every new call asks; an admin change is forgotten at once (and everywhere, with Redis behind
/// the cache).
/// </summary>
internal sealed class PbxSettingsLookup(TenantRepository tenants, HybridCache cache)
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromSeconds(30),
        LocalCacheExpiration = TimeSpan.FromSeconds(30),
    };

    /// <summary>The PBX's settings; the defaults of a new PBX when it is not (or no longer) registered.</summary>
    public async ValueTask<PbxSettings> FindAsync(string tenantId, string pbxId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(
            Key(tenantId, pbxId),
            (tenants, tenantId, pbxId),
            static async (state, ct) => PbxSettings.From(await state.tenants.FindPbxAsync(state.tenantId, state.pbxId, ct) ?? new PbxRecord()),
            Entry,
            cancellationToken: cancellationToken);

    public async ValueTask<PbxDateFormat?> FindDateFormatAsync(string tenantId, string pbxId, CancellationToken cancellationToken) =>
        (await FindAsync(tenantId, pbxId, cancellationToken)).DateFormat;

    public ValueTask ForgetAsync(string tenantId, string pbxId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(Key(tenantId, pbxId), cancellationToken);

    private static string Key(string tenantId, string pbxId) => $"pbx-settings:{tenantId}:{pbxId}";
}
