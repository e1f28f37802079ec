using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using Telephony.Core.Storage;

namespace Telephony.Core.Tenancy;

/// <summary>
/// API keys, stored as HMAC-SHA256 of the key under a server-side pepper (<c>TELEPHONY_KEY_PEPPER</c>): keys are
/// 256-bit random strings, so nothing can be brute-forced from the table, a stolen table alone cannot even
/// check a guess, and a lookup by hash stays an index seek on every request.
/// </summary>
public sealed class ApiKeyRepository(NpgsqlDataSource dataSource, string? pepper = null)
{
    private const string DefaultPepper = "telephony-api-keys-v1";

    private readonly byte[] _pepper = Encoding.UTF8.GetBytes(string.IsNullOrEmpty(pepper) ? DefaultPepper : pepper);

    public static string NewKey() => "tk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public byte[] Hash(string key) => HMACSHA256.HashData(_pepper, Encoding.UTF8.GetBytes(key));

    /// <summary>Stores a key (idempotent for the same clear key) and returns its id.</summary>
    public async Task<Guid> AddAsync(string tenantId, ApiKeyRole role, string? pbxId, string name, string clearKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
            """
            insert into api_keys (id, tenant_id, key_hash, role, pbx_id, name)
            values (@id, @tenantId, @hash, @role, @pbxId, @name)
            on conflict (key_hash) do update set revoked_at = null
            returning id
            """,
            new { id = Guid.CreateVersion7(), tenantId, hash = Hash(clearKey), role = StorageNames.Of(role), pbxId, name },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(
            "select id, tenant_id, role, pbx_id, name, created_at, revoked_at from api_keys where tenant_id = @tenantId order by created_at, id",
            new { tenantId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Revokes a key of the tenant; its hash (for caches to forget), or null when the tenant has no such key.</summary>
    public async Task<byte[]?> RevokeAsync(string tenantId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "update api_keys set revoked_at = coalesce(revoked_at, now()) where tenant_id = @tenantId and id = @keyId returning key_hash",
            new { tenantId, keyId }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores a platform-level fleet key (no tenant) and returns its id.</summary>
    public async Task<Guid> AddFleetAsync(string name, string clearKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
            "insert into api_keys (id, tenant_id, key_hash, role, name) values (@id, null, @hash, 'fleet', @name) returning id",
            new { id = Guid.CreateVersion7(), hash = Hash(clearKey), name }, cancellationToken: cancellationToken));
    }

    // Fleet keys belong to no tenant, so these two statements filter on the role instead of a tenant id.
    public async Task<IReadOnlyList<ApiKeyRecord>> ListFleetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(
            "select id, tenant_id, role, pbx_id, name, created_at, revoked_at from api_keys where role = 'fleet' and tenant_id is null order by created_at, id",
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Revokes a fleet key; its hash (for caches to forget), or null when there is no fleet key with that id.</summary>
    public async Task<byte[]?> RevokeFleetAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "update api_keys set revoked_at = coalesce(revoked_at, now()) where role = 'fleet' and tenant_id is null and id = @keyId returning key_hash",
            new { keyId }, cancellationToken: cancellationToken));
    }

    public Task<ApiKeyIdentity?> FindAsync(string clearKey, CancellationToken cancellationToken) => FindByHashAsync(Hash(clearKey), cancellationToken);

    public async Task<ApiKeyIdentity?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string? TenantId, string Role, string? PbxId)>(new CommandDefinition(
            "select id, tenant_id, role, pbx_id from api_keys where key_hash = @hash and revoked_at is null",
            new { hash = keyHash }, cancellationToken: cancellationToken));
        return row.Id == Guid.Empty ? null : new ApiKeyIdentity(row.Id, row.TenantId, StorageNames.Parse<ApiKeyRole>(row.Role) ?? ApiKeyRole.Agent, row.PbxId);
    }
}
