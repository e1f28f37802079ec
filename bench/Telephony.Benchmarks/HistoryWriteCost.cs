using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Telephony.Benchmarks;

/// <summary>
/// What the history's derived tables (stats rollups, callback queue, extension index: triggers) cost a batched writer:
/// 1,000 calls of the chain taken through ringing → answered → ended → CDR, each step one multi-row upsert of
/// call_logs plus the calls' legs replaced in bulk, timed with the triggers on and off (disabled inside the timed
/// transaction, which is rolled back, so the data set is left as it was).
/// </summary>
internal static class HistoryWriteCost
{
    private const string Upsert =
        """
        insert into call_logs (tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
            external_number, external_e164, extension, ring_group, started_at, answered_at, ended_at, ring_seconds,
            talk_seconds, duration_seconds, has_cdr, last_event_at, updated_at)
        select 'chain', u.id, 'loc-07', u.pbx_call_id, 'inbound', $2, $3, u.from_number, '74955000007', u.from_number,
               u.e164, $4, '6070', u.started_at, case when $3 = 'answered' or $2 = 'answered' then u.started_at + interval '8 seconds' end,
               case when $2 = 'ended' then u.started_at + interval '68 seconds' end, $5, $6, $7, $8, u.started_at, now()
        from unnest($1::uuid[], $9::text[], $10::text[], $11::text[], $12::timestamptz[]) as u(id, pbx_call_id, from_number, e164, started_at)
        on conflict (tenant_id, id) do update set status = excluded.status, outcome = excluded.outcome, extension = excluded.extension,
            answered_at = excluded.answered_at, ended_at = excluded.ended_at, ring_seconds = excluded.ring_seconds,
            talk_seconds = excluded.talk_seconds, duration_seconds = excluded.duration_seconds, has_cdr = excluded.has_cdr,
            last_event_at = excluded.last_event_at, updated_at = now()
        """;

    private const string ReplaceLegs =
        """
        delete from call_legs where tenant_id = 'chain' and call_id = any($1);
        insert into call_legs (tenant_id, call_id, extension, ring_at, answered_at, ended_at, outcome)
        select 'chain', u.id, p.extension, u.started_at, null, null, null
        from unnest($1::uuid[], $2::timestamptz[]) as u(id, started_at) cross join (values ('1071'), ('1072'), ('1073')) as p(extension);
        """;

    public sealed record Cost(double WithTriggersMs, double WithoutTriggersMs, int Calls);

    public static async Task<Cost> MeasureAsync(NpgsqlConnectionStringBuilder database, int calls, int rounds)
    {
        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        var with = new List<double>();
        var without = new List<double>();

        // Alternating, after one warm-up round of each, so neither side gets the colder cache.
        for (var round = -1; round < rounds; round++)
        {
            foreach (var triggers in new[] { true, false })
            {
                var elapsed = await RoundAsync(data, calls, triggers, seed: round + 10);
                if (round >= 0)
                {
                    (triggers ? with : without).Add(elapsed.TotalMilliseconds);
                }
            }
        }

        return new Cost(Median(with), Median(without), calls);
    }

    private static async Task<TimeSpan> RoundAsync(NpgsqlDataSource data, int calls, bool triggers, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, calls).Select(_ => Guid.NewGuid()).ToArray();
        var started = Enumerable.Range(0, calls).Select(_ => HistoryDataSet.EndUtc.AddHours(-2).AddSeconds(random.Next(3600))).ToArray();
        var numbers = Enumerable.Range(0, calls).Select(_ => string.Create(CultureInfo.InvariantCulture, $"79{random.Next(100_000_000, 999_999_999)}")).ToArray();
        var pbxCallIds = ids.Select(id => "cost." + id.ToString("N")).ToArray();

        await using var connection = await data.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!triggers)
        {
            await using var off = new NpgsqlCommand("alter table call_logs disable trigger user; alter table call_legs disable trigger user", connection, transaction);
            await off.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        foreach (var (status, outcome, extension, ring, talk, duration, cdr) in new (string, string?, string, int?, int?, int?, bool)[]
        {
            ("ringing", null, "1071", null, null, null, false),
            ("answered", null, "1072", 8, null, null, false),
            ("ended", "answered", "1072", 8, 60, 68, false),
            ("ended", "answered", "1072", 9, 59, 68, true),
        })
        {
            await using var upsert = new NpgsqlCommand(Upsert, connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter { Value = ids });
            upsert.Parameters.Add(new NpgsqlParameter { Value = status });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter { Value = extension });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)ring ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)talk ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)duration ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            upsert.Parameters.Add(new NpgsqlParameter { Value = cdr });
            upsert.Parameters.Add(new NpgsqlParameter { Value = pbxCallIds });
            upsert.Parameters.Add(new NpgsqlParameter { Value = numbers.Select(n => "8" + n[1..]).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = numbers.Select(n => "+" + n).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = started });
            await upsert.ExecuteNonQueryAsync();

            await using var legs = new NpgsqlBatch(connection, transaction);
            foreach (var statement in ReplaceLegs.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var command = new NpgsqlBatchCommand(statement);
                command.Parameters.Add(new NpgsqlParameter { Value = ids });
                if (statement.Contains("$2", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = started });
                }

                legs.BatchCommands.Add(command);
            }

            await legs.ExecuteNonQueryAsync();
        }

        clock.Stop();
        await transaction.RollbackAsync();
        return clock.Elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
