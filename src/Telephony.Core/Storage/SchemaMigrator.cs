using System.Reflection;
using Dapper;
using Npgsql;

namespace Telephony.Core.Storage;

/// <summary>Applies the embedded, numbered <c>Migrations/NNNN_*.sql</c> scripts once each, in order.</summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource)
{
    // Any fixed number works: it only has to be the same for every replica that migrates at start.
    private const long MigrationLockId = 0x7E1E_F0E1;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Replicas starting together would race on DDL; the advisory lock serialises them.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@MigrationLockId)", new { MigrationLockId }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                create table if not exists schema_migrations (
                  version    text primary key,
                  applied_at timestamptz not null default now())
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<string>(new CommandDefinition("select version from schema_migrations", cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            foreach (var (version, sql) in LoadScripts())
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition("insert into schema_migrations (version) values (@version)", new { version }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_unlock(@MigrationLockId)", new { MigrationLockId }, cancellationToken: CancellationToken.None));
        }
    }

    private static IEnumerable<(string Version, string Sql)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "Telephony.Core.Storage.Migrations.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }
}
