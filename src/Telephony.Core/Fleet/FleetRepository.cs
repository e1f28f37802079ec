using Dapper;
using Npgsql;

namespace Telephony.Core.Fleet;

/// <summary>
/// What fleet bridges read across tenants. These statements deliberately have no tenant filter: a fleet key belongs
/// to the platform, and the API serves them to fleet keys only.
/// </summary>
public sealed class FleetRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Every PBX with a connection configured (a host), with its lease.</summary>
    public async Task<IReadOnlyList<FleetPbxRow>> ListPbxesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<FleetPbxRow>(new CommandDefinition(
            """
            select p.tenant_id, p.id as pbx_id, p.kind, p.host, p.port, p.api_version, p.client_id, p.client_secret, p.tls_fingerprint, p.time_zone,
                   l.holder as lease_holder, l.epoch as lease_epoch, l.expires_at as lease_expires_at
            from pbxes p
            left join pbx_leases l on l.tenant_id = p.tenant_id and l.pbx_id = p.id
            where p.host is not null
            order by p.tenant_id, p.id
            """,
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Re-seals every stored client secret that is not under the current key (after a rotation), so the previous key
    /// can be retired. Returns how many were re-sealed and how many no configured key opens (left as they are).
    /// A value changed meanwhile by a PUT is skipped: the update matches the old ciphertext.
    /// </summary>
    public async Task<(int Resealed, int Unreadable)> ResealClientSecretsAsync(Secrets.SecretCipher cipher, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stale = (await connection.QueryAsync<(string TenantId, string Id, byte[] ClientSecret)>(new CommandDefinition(
            "select tenant_id, id, client_secret from pbxes where client_secret is not null and substring(client_secret from 2 for 8) <> decode(@keyId, 'hex')",
            new { keyId = cipher.CurrentKeyId }, cancellationToken: cancellationToken))).AsList();
        var (resealed, unreadable) = (0, 0);
        foreach (var (tenantId, pbxId, sealedValue) in stale)
        {
            var context = Secrets.SecretCipher.PbxContext(tenantId, pbxId);
            if (cipher.TryOpen(sealedValue, context) is not { } clear)
            {
                unreadable++;
                continue;
            }

            resealed += await connection.ExecuteAsync(new CommandDefinition(
                "update pbxes set client_secret = @fresh where tenant_id = @tenantId and id = @pbxId and client_secret = @sealedValue",
                new { tenantId, pbxId, sealedValue, fresh = cipher.Seal(clear, context) }, cancellationToken: cancellationToken));
        }

        return (resealed, unreadable);
    }
}
