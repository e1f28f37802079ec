using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Telephony.Core.Customers;

namespace Telephony.Api.Customers;

/// <summary>
/// Recognises a caller: the directory's profile (cached per tenant and number; Redis behind it when
/// <c>REDIS_URL</c> is set) plus the notes from this number's last calls. A failing directory means
/// "not recognised", never a lost or delayed call.
/// </summary>
internal sealed partial class CustomerLookup(
    ICustomerDirectory directory,
    CustomerRepository customers,
    HybridCache cache,
    IOptions<CustomerOptions> options,
    ILogger<CustomerLookup> logger)
{
    public async Task<CustomerProfile?> FindAsync(string tenantId, string phoneE164, CancellationToken cancellationToken = default)
    {
        try
        {
            var profile = await cache.GetOrCreateAsync(
                $"customer:{tenantId}:{phoneE164}",
                (directory, tenantId, phoneE164),
                static (state, ct) => new ValueTask<CustomerProfile?>(state.directory.FindByPhoneAsync(state.tenantId, state.phoneE164, ct)),
                new HybridCacheEntryOptions { Expiration = options.Value.CacheDuration, LocalCacheExpiration = options.Value.CacheDuration },
                cancellationToken: cancellationToken);
            return profile is null ? null : profile with { LastNotes = await customers.LastNotesAsync(tenantId, phoneE164, 3, cancellationToken) };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException or System.Text.Json.JsonException)
        {
            LookupFailed(logger, ex, tenantId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer lookup for tenant {TenantId} failed; the call goes on unrecognised")]
    private static partial void LookupFailed(ILogger logger, Exception exception, string tenantId);
}
