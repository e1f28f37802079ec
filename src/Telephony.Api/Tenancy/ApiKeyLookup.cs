using Microsoft.Extensions.Caching.Hybrid;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Tenancy;

/// <summary>
/// Who a presented key belongs to, for every request. Known keys are cached for a few seconds, so a bridge's batches
/// and a screen pop's request do not wait for a PostgreSQL read each: under load that read was a pop's slowest step
/// after the journal. A revoked key is forgotten at once here (and in Redis, with it behind the cache); another
/// replica's own copy lives at most <see cref="Lifetime"/>. Unknown keys are never cached, so a key stored a moment
/// ago works at once.
/// </summary>
internal sealed class ApiKeyLookup(ApiKeyRepository keys, HybridCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = Lifetime, LocalCacheExpiration = Lifetime };

    public async Task<ApiKeyIdentity?> FindAsync(string clearKey, CancellationToken cancellationToken)
    {
        var hash = keys.Hash(clearKey);
        var cacheKey = Key(hash);
        var identity = await cache.GetOrCreateAsync(
            cacheKey,
            (keys, hash),
            static async (state, ct) => await state.keys.FindByHashAsync(state.hash, ct),
            Entry,
            cancellationToken: cancellationToken);
        if (identity is null)
        {
            await cache.RemoveAsync(cacheKey, cancellationToken);
        }

        return identity;
    }

    public async Task<bool> RevokeAsync(string tenantId, Guid keyId, CancellationToken cancellationToken) =>
        await ForgetAsync(await keys.RevokeAsync(tenantId, keyId, cancellationToken), cancellationToken);

    public async Task<bool> RevokeFleetAsync(Guid keyId, CancellationToken cancellationToken) =>
        await ForgetAsync(await keys.RevokeFleetAsync(keyId, cancellationToken), cancellationToken);

    private async Task<bool> ForgetAsync(byte[]? revokedHash, CancellationToken cancellationToken)
    {
        if (revokedHash is null)
        {
            return false;
        }

        await cache.RemoveAsync(Key(revokedHash), cancellationToken);
        return true;
    }

    // The key's HMAC, never the key itself: a cache (Redis included) holds nothing a caller could present.
    private static string Key(byte[] hash) => $"api-key:{Convert.ToHexStringLower(hash)}";
}
