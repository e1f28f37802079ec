using Dapper;
using Npgsql;

namespace Telephony.Core.Tenancy;

/// <summary>Tenants and their PBX records.</summary>
public sealed class TenantRepository(NpgsqlDataSource dataSource)
{
    public async Task EnsureTenantAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into tenants (id, name) values (@tenantId, @name) on conflict (id) do nothing",
            new { tenantId, name }, cancellationToken: cancellationToken));
    }

    /// <summary>Creates a tenant; false when the id is taken.</summary>
    public async Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "insert into tenants (id, name, sla_seconds, short_abandon_seconds) values (@Id, @Name, @SlaSeconds, @ShortAbandonSeconds) on conflict (id) do nothing",
            tenant, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<TenantRecord?> FindTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRecord>(new CommandDefinition(
            "select id, name, sla_seconds, short_abandon_seconds, created_at from tenants where id = @tenantId",
            new { tenantId }, cancellationToken: cancellationToken));
    }

    public async Task EnsurePbxAsync(string tenantId, PbxRecord pbx, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into pbxes (tenant_id, id, name, kind, time_zone, default_region, date_format)
            values (@tenantId, @Id, @Name, @Kind, @TimeZone, @DefaultRegion, @DateFormat)
            on conflict (tenant_id, id) do update set name = excluded.name, kind = excluded.kind,
                time_zone = excluded.time_zone, default_region = excluded.default_region, date_format = excluded.date_format
            """,
            new { tenantId, pbx.Id, pbx.Name, pbx.Kind, pbx.TimeZone, pbx.DefaultRegion, pbx.DateFormat }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Creates or replaces a PBX record with its connection, in one statement: the connection fields are replaced as
    /// given, the client secret only when <see cref="PbxConnection.KeepClientSecret"/> is not set.
    /// </summary>
    public async Task SavePbxAsync(string tenantId, PbxRecord pbx, PbxConnection connection, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            """
            insert into pbxes (tenant_id, id, name, kind, time_zone, default_region, date_format, host, port, api_version, client_id, client_secret, tls_fingerprint)
            values (@tenantId, @Id, @Name, @Kind, @TimeZone, @DefaultRegion, @DateFormat, @host, @port, @apiVersion, @clientId, case when @keepSecret then null else @secret end, @fingerprint)
            on conflict (tenant_id, id) do update set name = excluded.name, kind = excluded.kind,
                time_zone = excluded.time_zone, default_region = excluded.default_region, date_format = excluded.date_format,
                host = excluded.host, port = excluded.port, api_version = excluded.api_version, client_id = excluded.client_id,
                client_secret = case when @keepSecret then pbxes.client_secret else excluded.client_secret end,
                tls_fingerprint = excluded.tls_fingerprint
            """,
            new
            {
                tenantId, pbx.Id, pbx.Name, pbx.Kind, pbx.TimeZone, pbx.DefaultRegion, pbx.DateFormat,
                host = connection.Host, port = connection.Port, apiVersion = connection.ApiVersion, clientId = connection.ClientId,
                keepSecret = connection.KeepClientSecret, secret = connection.SealedClientSecret, fingerprint = connection.TlsFingerprint,
            },
            cancellationToken: cancellationToken));
    }

    public async Task<PbxRecord?> FindPbxAsync(string tenantId, string pbxId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PbxRecord>(new CommandDefinition(
            """
            select tenant_id, id, name, kind, time_zone, default_region, date_format, connected, link_reason, link_changed_at,
                host, port, api_version, client_id, client_secret is not null as has_client_secret, tls_fingerprint
            from pbxes
            where tenant_id = @tenantId and id = @pbxId
            """,
            new { tenantId, pbxId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PbxRecord>> ListPbxesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PbxRecord>(new CommandDefinition(
            """
            select tenant_id, id, name, kind, time_zone, default_region, date_format, connected, link_reason, link_changed_at,
                host, port, api_version, client_id, client_secret is not null as has_client_secret, tls_fingerprint
            from pbxes
            where tenant_id = @tenantId order by id
            """,
            new { tenantId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Records the bridge's link status (and that the bridge is alive); returns true when the status changed.</summary>
    public async Task<bool> SetLinkStatusAsync(string tenantId, string pbxId, bool connected, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            with before as (select connected, link_reason from pbxes where tenant_id = @tenantId and id = @pbxId for update)
            update pbxes p set connected = @connected, link_reason = @reason, bridge_seen_at = now(),
                link_changed_at = case when b.connected <> @connected or b.link_reason is distinct from @reason then now() else p.link_changed_at end
            from before b
            where p.tenant_id = @tenantId and p.id = @pbxId
            returning b.connected <> @connected or b.link_reason is distinct from @reason
            """,
            new { tenantId, pbxId, connected, reason }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks links whose bridge went silent as disconnected; returns the (tenant, pbx) pairs that changed.</summary>
    public async Task<IReadOnlyList<(string TenantId, string PbxId)>> ExpireSilentLinksAsync(TimeSpan silentFor, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(string TenantId, string PbxId)>(new CommandDefinition(
            """
            update pbxes set connected = false, link_reason = @reason, link_changed_at = now()
            where connected and (bridge_seen_at is null or bridge_seen_at < now() - @silentFor)
            returning tenant_id, id
            """,
            new { silentFor, reason }, cancellationToken: cancellationToken))).AsList();
    }
}
