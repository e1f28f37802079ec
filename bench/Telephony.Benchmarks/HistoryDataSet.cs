using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Telephony.Benchmarks;

/// <summary>
/// The history data sets, each in its own database named for its size and <see cref="Version"/>: built once with binary
/// COPY (minutes for 10 million calls), then reused by every later run. The API migrates the empty database first, as a
/// production start would, so the rows land in the real schema; a later API start migrates the reused data forward.
/// </summary>
internal static class HistoryDataSet
{
    public const string ChainTenant = "chain";

    /// <summary>Bump when the generator changes, so an older data set is rebuilt rather than reused.</summary>
    public const int Version = 2;

    /// <summary>The data ends at local midnight of 2026-12-01 in Moscow; <see cref="LastDay"/> is its last whole day.</summary>
    public static readonly DateTime EndUtc = new(2026, 11, 30, 21, 0, 0, DateTimeKind.Utc);

    public static readonly DateOnly LastDay = new(2026, 11, 30);

    private static readonly string[] LoadedTables = ["call_logs", "call_legs", "call_orders", "call_notes"];

    // Tables the schema derives from the loaded ones (migrations 0006-0008): also rebuilt before their indexes.
    private static readonly string[] DerivedTables =
        ["call_extension_calls", "call_search", "call_stats_hourly", "call_stats_extension_hourly", "call_stats_extension_daily", "call_callback_queue"];

    public static async Task<NpgsqlConnectionStringBuilder> EnsureAsync(BenchOptions options, HistorySize size)
    {
        var server = new NpgsqlConnectionStringBuilder(options.PostgresServer);
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Database = $"telephony_history_v{Version}_{size.Name.Replace('-', '_')}",
            CommandTimeout = 0,
        };
        await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
        if (await IsCompleteAsync(admin, database))
        {
            Console.WriteLine($"bench: history data set {database.Database} reused");
            return database;
        }

        Console.WriteLine($"bench: building history data set {database.Database} ({size.TotalCalls:N0} calls)");
        await ExecuteAsync(admin, $"drop database if exists {database.Database} with (force)");
        await ExecuteAsync(admin, $"create database {database.Database}");
        await using (await ApiProcess.StartAsync(options, ApiProcess.DatabaseUrl(database)))
        {
        }

        await LoadAsync(database, size);
        return database;
    }

    private static async Task<bool> IsCompleteAsync(NpgsqlDataSource admin, NpgsqlConnectionStringBuilder database)
    {
        await using (var exists = admin.CreateCommand("select 1 from pg_database where datname = $1"))
        {
            exists.Parameters.AddWithValue(database.Database!);
            if (await exists.ExecuteScalarAsync() is null)
            {
                return false;
            }
        }

        // A build that stopped half way has no marker table (the marker is written last); ask before reading it, as a
        // query naming a missing table fails however its condition short-circuits.
        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        await using (var table = data.CreateCommand("select to_regclass('bench_history_dataset') is not null"))
        {
            if (await table.ExecuteScalarAsync() is not true)
            {
                return false;
            }
        }

        await using var marker = data.CreateCommand("select exists (select 1 from bench_history_dataset)");
        return await marker.ExecuteScalarAsync() is true;
    }

    private static async Task LoadAsync(NpgsqlConnectionStringBuilder database, HistorySize size)
    {
        var clock = Stopwatch.StartNew();

        // The rebuild aggregates millions of rows per statement: room to hash and sort them in memory.
        var load = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = "-c work_mem=256MB -c maintenance_work_mem=512MB" };
        await using var data = NpgsqlDataSource.Create(load.ConnectionString);
        var tenants = HistoryTenant.For(size);
        await InsertTenantsAsync(data, tenants);

        // Indexes are built once after the load (sorted, minutes) instead of row by row (an hour); foreign keys and
        // triggers are skipped during the COPY (session_replication_role) and derived tables rebuilt after it.
        var indexes = await DropSecondaryIndexesAsync(data);
        var calls = await CopyAsync(data, tenants);
        Console.WriteLine($"bench: {calls:N0} calls copied in {clock.Elapsed.TotalSeconds:F0} s; rebuilding derived tables");

        // Statistics first: planned on empty-table estimates, the rebuild ran minutes per tenant at 10,000 calls (and
        // the rebuild's lock on call_logs keeps autovacuum from analysing it meanwhile).
        foreach (var table in LoadedTables)
        {
            await ExecuteAsync(data, $"analyze {table}");
        }

        await RebuildDerivedAsync(data, tenants);
        Console.WriteLine($"bench: derived tables rebuilt after {clock.Elapsed.TotalSeconds:F0} s; building {indexes.Count} indexes");
        await ExecuteAsync(data, "set maintenance_work_mem = '512MB'; " + string.Join("; ", indexes));
        foreach (var table in await ExistingAsync(data, [.. LoadedTables, .. DerivedTables]))
        {
            await ExecuteAsync(data, $"vacuum (analyze) {table}");
        }

        await ExecuteAsync(data, string.Create(CultureInfo.InvariantCulture, $"""
            create table bench_history_dataset (version int not null, size text not null, calls bigint not null, seconds float8 not null, built_at timestamptz not null default now());
            insert into bench_history_dataset (version, size, calls, seconds) values ({Version}, '{size.Name}', {calls}, {clock.Elapsed.TotalSeconds:F0});
            """));
        Console.WriteLine($"bench: history data set {database.Database} built in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task InsertTenantsAsync(NpgsqlDataSource data, IReadOnlyList<HistoryTenant> tenants)
    {
        await using var tenantRows = data.CreateCommand("insert into tenants (id, name) select * from unnest($1::text[], $2::text[])");
        tenantRows.Parameters.AddWithValue(tenants.Select(t => t.Id).ToArray());
        tenantRows.Parameters.AddWithValue(tenants.Select(t => t.Name).ToArray());
        await tenantRows.ExecuteNonQueryAsync();

        var pbxes = tenants.SelectMany(t => t.Locations.Select(l => (Tenant: t, Location: l))).ToList();
        await using var pbxRows = data.CreateCommand(
            "insert into pbxes (tenant_id, id, name, time_zone, default_region) select t, p, p, z, 'RU' from unnest($1::text[], $2::text[], $3::text[]) as u(t, p, z)");
        pbxRows.Parameters.AddWithValue(pbxes.Select(p => p.Tenant.Id).ToArray());
        pbxRows.Parameters.AddWithValue(pbxes.Select(p => p.Location.PbxId).ToArray());
        pbxRows.Parameters.AddWithValue(pbxes.Select(p => p.Tenant.TimeZone).ToArray());
        await pbxRows.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlDataSource data)
    {
        var indexes = new List<(string Name, string Definition)>();
        await using (var list = data.CreateCommand(
            """
            select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            from pg_index i join pg_class t on t.oid = i.indrelid
            where t.relname = any($1) and t.relnamespace = 'public'::regnamespace
              and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
            """))
        {
            list.Parameters.AddWithValue(LoadedTables.Concat(DerivedTables).ToArray());
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(data, $"drop index {name}");
        }

        return [.. indexes.Select(i => i.Definition)];
    }

    // Four COPY streams fed in step by one generator: PostgreSQL parses them on its own cores. Writes are synchronous:
    // the importers buffer, and this loop is CPU-bound generation.
    private static async Task<long> CopyAsync(NpgsqlDataSource data, IReadOnlyList<HistoryTenant> tenants)
    {
        await using var logsConnection = await ReplicaConnectionAsync(data);
        await using var legsConnection = await ReplicaConnectionAsync(data);
        await using var ordersConnection = await ReplicaConnectionAsync(data);
        await using var notesConnection = await ReplicaConnectionAsync(data);
        await using var logs = await logsConnection.BeginBinaryImportAsync(
            """
            copy call_logs (tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number, external_number,
                external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at, ring_seconds, talk_seconds,
                duration_seconds, recording, satisfaction, failure_reason, on_hold, has_cdr, last_event_at, transfers, updated_at,
                customer_id, customer_name, customer_phone) from stdin (format binary)
            """);
        await using var legs = await legsConnection.BeginBinaryImportAsync(
            "copy call_legs (tenant_id, call_id, extension, ring_at, answered_at, ended_at, outcome) from stdin (format binary)");
        await using var orders = await ordersConnection.BeginBinaryImportAsync(
            "copy call_orders (tenant_id, call_id, order_id, linked_at) from stdin (format binary)");
        await using var notes = await notesConnection.BeginBinaryImportAsync(
            "copy call_notes (tenant_id, id, call_id, note, author, created_at) from stdin (format binary)");

        long count = 0;
        foreach (var tenant in tenants)
        {
            foreach (var call in new HistoryCallGenerator(tenant, EndUtc).Calls())
            {
                WriteCall(logs, call);
                foreach (var leg in call.Legs)
                {
                    legs.StartRow();
                    legs.Write(call.TenantId, NpgsqlDbType.Text);
                    legs.Write(call.Id, NpgsqlDbType.Uuid);
                    legs.Write(leg.Extension, NpgsqlDbType.Text);
                    legs.Write(leg.RingAt, NpgsqlDbType.TimestampTz);
                    Timestamp(legs, leg.AnsweredAt);
                    legs.Write(leg.EndedAt, NpgsqlDbType.TimestampTz);
                    legs.Write(leg.Outcome, NpgsqlDbType.Text);
                }

                if (call.OrderId is not null)
                {
                    orders.StartRow();
                    orders.Write(call.TenantId, NpgsqlDbType.Text);
                    orders.Write(call.Id, NpgsqlDbType.Uuid);
                    orders.Write(call.OrderId, NpgsqlDbType.Text);
                    orders.Write(call.EndedAt.AddSeconds(30), NpgsqlDbType.TimestampTz);
                }

                if (call.Note is not null)
                {
                    notes.StartRow();
                    notes.Write(call.TenantId, NpgsqlDbType.Text);
                    notes.Write(Guid.CreateVersion7(call.EndedAt), NpgsqlDbType.Uuid);
                    notes.Write(call.Id, NpgsqlDbType.Uuid);
                    notes.Write(call.Note, NpgsqlDbType.Text);
                    notes.Write("operator", NpgsqlDbType.Text);
                    notes.Write(call.EndedAt.AddSeconds(60), NpgsqlDbType.TimestampTz);
                }

                if (++count % 1_000_000 == 0)
                {
                    Console.WriteLine($"bench: {count:N0} calls generated");
                }
            }
        }

        await logs.CompleteAsync();
        await legs.CompleteAsync();
        await orders.CompleteAsync();
        await notes.CompleteAsync();
        return count;
    }

    private static void WriteCall(NpgsqlBinaryImporter logs, HistoryCall call)
    {
        logs.StartRow();
        logs.Write(call.TenantId, NpgsqlDbType.Text);
        logs.Write(call.Id, NpgsqlDbType.Uuid);
        logs.Write(call.PbxId, NpgsqlDbType.Text);
        logs.Write(call.PbxCallId, NpgsqlDbType.Text);
        logs.Write(call.Direction, NpgsqlDbType.Text);
        logs.Write("ended", NpgsqlDbType.Text);
        logs.Write(call.Outcome, NpgsqlDbType.Text);
        Text(logs, call.From);
        Text(logs, call.To);
        Text(logs, call.ExternalNumber);
        Text(logs, call.ExternalE164);
        Text(logs, call.Extension);
        Text(logs, call.Trunk);
        Text(logs, call.RingGroup);
        logs.Write(call.StartedAt, NpgsqlDbType.TimestampTz);
        Timestamp(logs, call.AnsweredAt);
        logs.Write(call.EndedAt, NpgsqlDbType.TimestampTz);
        logs.Write(call.RingSeconds, NpgsqlDbType.Integer);
        logs.Write(call.TalkSeconds, NpgsqlDbType.Integer);
        logs.Write(call.RingSeconds + call.TalkSeconds, NpgsqlDbType.Integer);
        Text(logs, call.Recording);
        Text(logs, call.Satisfaction);
        Text(logs, call.FailureReason);
        logs.Write(false, NpgsqlDbType.Boolean);
        logs.Write(true, NpgsqlDbType.Boolean);
        logs.Write(call.EndedAt, NpgsqlDbType.TimestampTz);
        logs.Write(call.Transfers, NpgsqlDbType.Jsonb);
        logs.Write(call.EndedAt.AddSeconds(5), NpgsqlDbType.TimestampTz);
        Text(logs, call.CustomerId);
        Text(logs, call.CustomerName);
        Text(logs, call.CustomerPhone);
    }

    private static void Text(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Timestamp(NpgsqlBinaryImporter importer, DateTime? value)
    {
        if (value is { } v)
        {
            importer.Write(v, NpgsqlDbType.TimestampTz);
        }
        else
        {
            importer.WriteNull();
        }
    }

    // Derived tables (search text, extension index, stats rollups, callback queue) are kept by triggers, which the
    // COPY skipped: the schema's own rebuild function fills them, when the schema has one.
    private static async Task RebuildDerivedAsync(NpgsqlDataSource data, IReadOnlyList<HistoryTenant> tenants)
    {
        await using var probe = data.CreateCommand(
            "select coalesce(to_regprocedure('call_history_rebuild(text)'), to_regprocedure('call_rollups_rebuild(text)'))::text");
        if (await probe.ExecuteScalarAsync() is not string function)
        {
            return;
        }

        foreach (var tenant in tenants)
        {
            await using var rebuild = data.CreateCommand($"select {function[..function.IndexOf('(', StringComparison.Ordinal)]}($1)");
            rebuild.Parameters.AddWithValue(tenant.Id);
            await rebuild.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<string>> ExistingAsync(NpgsqlDataSource data, string[] tables)
    {
        await using var command = data.CreateCommand("select t from unnest($1::text[]) t where to_regclass(t) is not null");
        command.Parameters.AddWithValue(tables);
        var existing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            existing.Add(reader.GetString(0));
        }

        return existing;
    }

    private static async Task<NpgsqlConnection> ReplicaConnectionAsync(NpgsqlDataSource data)
    {
        var connection = await data.OpenConnectionAsync();
        await using var replica = connection.CreateCommand();
        replica.CommandText = "set session_replication_role = replica";
        await replica.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
