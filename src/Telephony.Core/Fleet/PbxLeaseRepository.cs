using Dapper;
using Npgsql;

namespace Telephony.Core.Fleet;

/// <summary>
/// One lease per PBX with a fencing epoch (issue 11 §3). Acquire, renew and release are each one statement, so two
/// bridges racing for a PBX are ordered by the row lock the upsert takes: exactly one wins.
/// </summary>
public sealed class PbxLeaseRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Takes the lease when it is free, released or expired (the epoch goes up by one), or renews it when
    /// <paramref name="holder"/> holds it at <paramref name="epoch"/> and it has not expired (the epoch stays).
    /// Returns the lease as it now is; null when someone else holds it.
    /// </summary>
    public async Task<PbxLease?> AcquireAsync(string tenantId, string pbxId, string holder, long? epoch, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PbxLease>(new CommandDefinition(
            """
            insert into pbx_leases as l (tenant_id, pbx_id, holder, epoch, expires_at)
            values (@tenantId, @pbxId, @holder, 1, now() + @ttl)
            on conflict (tenant_id, pbx_id) do update set
                holder = excluded.holder,
                epoch = case when l.holder = excluded.holder and l.epoch = @epoch and l.expires_at > now() then l.epoch else l.epoch + 1 end,
                expires_at = excluded.expires_at
            where l.holder is null or l.expires_at <= now() or (l.holder = excluded.holder and l.epoch = @epoch)
            returning tenant_id, pbx_id, holder, epoch, expires_at
            """,
            new { tenantId, pbxId, holder, epoch, ttl }, cancellationToken: cancellationToken));
    }

    /// <summary>Gives the lease up; false when <paramref name="holder"/> does not hold it at <paramref name="epoch"/>.</summary>
    public async Task<bool> ReleaseAsync(string tenantId, string pbxId, string holder, long epoch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update pbx_leases set holder = null, expires_at = least(expires_at, now())
            where tenant_id = @tenantId and pbx_id = @pbxId and holder = @holder and epoch = @epoch
            """,
            new { tenantId, pbxId, holder, epoch }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<PbxLease?> FindAsync(string tenantId, string pbxId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PbxLease>(new CommandDefinition(
            "select tenant_id, pbx_id, holder, epoch, expires_at from pbx_leases where tenant_id = @tenantId and pbx_id = @pbxId",
            new { tenantId, pbxId }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether <paramref name="claim"/> names the unexpired lease of the PBX right now.</summary>
    public async Task<bool> IsHeldAsync(string tenantId, string pbxId, LeaseClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists (select from pbx_leases
                where tenant_id = @tenantId and pbx_id = @pbxId and holder = @Holder and epoch = @Epoch and expires_at > now())
            """,
            new { tenantId, pbxId, claim.Holder, claim.Epoch }, cancellationToken: cancellationToken));
    }
}
