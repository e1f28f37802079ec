using Microsoft.Extensions.Caching.Hybrid;
using Telephony.Core.Tenancy;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// The order a PBX shows dates in, which CDR times without a Unix timestamp follow. Cached for half a minute, since
/// every ingested batch asks; an admin change is forgotten at once (and everywhere, with Redis behind the cache).
/// </summary>
internal sealed class PbxDateFormatLookup(TenantRepository tenants, HybridCache cache)
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromSeconds(30),
        LocalCacheExpiration = TimeSpan.FromSeconds(30),
    };

    public async ValueTask<PbxDateFormat?> FindAsync(string tenantId, string pbxId, CancellationToken cancellationToken)
    {
        // "" stands for "not set", so an unset PBX is cached too.
        var text = await cache.GetOrCreateAsync(
            Key(tenantId, pbxId),
            (tenants, tenantId, pbxId),
            static async (state, ct) => (await state.tenants.FindPbxAsync(state.tenantId, state.pbxId, ct))?.DateFormat ?? "",
            Entry,
            cancellationToken: cancellationToken);
        return PbxDateFormats.TryParse(text, out var format) ? format : null;
    }

    public ValueTask ForgetAsync(string tenantId, string pbxId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(Key(tenantId, pbxId), cancellationToken);

    private static string Key(string tenantId, string pbxId) => $"pbx-date-format:{tenantId}:{pbxId}";
}
