using Dapper;
using Npgsql;

namespace Telephony.Core.Storage;

/// <summary>Extensions and their last known status, per tenant and PBX.</summary>
/// <param name="statusWrites">Where <see cref="UpsertManyAsync"/> writes live status (rebuilt from the journal); by default the main data source.</param>
public sealed class ExtensionRepository(NpgsqlDataSource dataSource, RebuildableWrites? statusWrites = null)
{
    /// <summary>
    /// Stores several extensions' status in one statement. A null name, registration or presence keeps the stored
    /// one (it did not change); the call status is always written.
    /// </summary>
    public async Task UpsertManyAsync(string tenantId, IReadOnlyList<ExtensionRecord> extensions, CancellationToken cancellationToken)
    {
        if (extensions.Count == 0)
        {
            return;
        }

        await using var connection = await (statusWrites?.DataSource ?? dataSource).OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into extensions (tenant_id, pbx_id, number, name, registered, call_status, presence, updated_at)
            select @tenantId, e.* , now() from unnest(@pbxIds, @numbers, @names, @registered, @statuses, @presences)
                as e(pbx_id, number, name, registered, call_status, presence)
            on conflict (tenant_id, pbx_id, number) do update set
                name = coalesce(excluded.name, extensions.name),
                registered = coalesce(excluded.registered, extensions.registered),
                call_status = excluded.call_status,
                presence = coalesce(excluded.presence, extensions.presence),
                updated_at = now()
            """,
            new
            {
                tenantId,
                pbxIds = extensions.Select(e => e.PbxId).ToArray(),
                numbers = extensions.Select(e => e.Number).ToArray(),
                names = extensions.Select(e => e.Name).ToArray(),
                registered = extensions.Select(e => e.Registered).ToArray(),
                statuses = extensions.Select(e => e.CallStatus).ToArray(),
                presences = extensions.Select(e => e.Presence).ToArray(),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>Makes the PBX's extension list the stored one: new ones added, gone ones removed, live status kept.</summary>
    public async Task SyncAsync(string tenantId, string pbxId, IReadOnlyList<ExtensionRecord> extensions, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from extensions where tenant_id = @tenantId and pbx_id = @pbxId and not (number = any(@numbers))",
            new { tenantId, pbxId, numbers = extensions.Select(e => e.Number).ToArray() }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into extensions (tenant_id, pbx_id, number, name, registered, presence, updated_at)
            values (@tenantId, @pbxId, @Number, @Name, @Registered, @Presence, now())
            on conflict (tenant_id, pbx_id, number) do update set
                name = excluded.name,
                registered = coalesce(excluded.registered, extensions.registered),
                presence = coalesce(excluded.presence, extensions.presence),
                updated_at = now()
            """,
            extensions.Select(e => new { tenantId, pbxId, e.Number, e.Name, e.Registered, e.Presence }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExtensionRecord>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ExtensionRecord>(new CommandDefinition(
            "select pbx_id, number, name, registered, call_status, presence, updated_at from extensions where tenant_id = @tenantId order by number, pbx_id",
            new { tenantId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The stored extensions of one PBX among <paramref name="numbers"/>.</summary>
    public async Task<IReadOnlyList<ExtensionRecord>> FindManyAsync(string tenantId, string pbxId, IReadOnlyCollection<string> numbers, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ExtensionRecord>(new CommandDefinition(
            "select pbx_id, number, name, registered, call_status, presence, updated_at from extensions where tenant_id = @tenantId and pbx_id = @pbxId and number = any(@numbers)",
            new { tenantId, pbxId, numbers = numbers.ToArray() }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<ExtensionRecord?> FindAsync(string tenantId, string number, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<ExtensionRecord>(new CommandDefinition(
            "select pbx_id, number, name, registered, call_status, presence, updated_at from extensions where tenant_id = @tenantId and number = @number order by pbx_id limit 1",
            new { tenantId, number }, cancellationToken: cancellationToken));
    }
}
