using System.Text.Json;
using Npgsql;
using Telephony.Core.Calls;

namespace Telephony.Core.Storage;

/// <summary>
/// Writes many calls' rows and legs in one round trip and one transaction: the call-log row upserted, its legs
/// replaced by the ones it has now. One statement per table for the whole set instead of three per call
/// (design.md §9: a row per transaction tops out near 4k/s here).
/// </summary>
public sealed class CallLogBatchWriter(NpgsqlDataSource dataSource)
{
    // A customer stays linked unless the call says otherwise: the grain writes the whole row, people's links included.
    private const string UpsertCalls =
        """
        insert into call_logs (tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
            external_number, external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at,
            ring_seconds, talk_seconds, duration_seconds, recording, satisfaction, failure_reason, on_hold, has_cdr,
            last_event_at, transfers, customer_id, customer_name, customer_phone, updated_at)
        select c.tenant_id, c.id, c.pbx_id, c.pbx_call_id, c.direction, c.status, c.outcome, c.from_number, c.to_number,
            c.external_number, c.external_e164, c.extension, c.trunk, c.ring_group, c.started_at, c.answered_at, c.ended_at,
            c.ring_seconds, c.talk_seconds, c.duration_seconds, c.recording, c.satisfaction, c.failure_reason, c.on_hold, c.has_cdr,
            c.last_event_at, c.transfers::jsonb, c.customer_id, c.customer_name, c.customer_phone, now()
        from unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
            $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[],
            $18::int[], $19::int[], $20::int[], $21::text[], $22::text[], $23::text[], $24::bool[], $25::bool[],
            $26::timestamptz[], $27::text[], $28::text[], $29::text[], $30::text[])
          as c(tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
            external_number, external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at,
            ring_seconds, talk_seconds, duration_seconds, recording, satisfaction, failure_reason, on_hold, has_cdr,
            last_event_at, transfers, customer_id, customer_name, customer_phone)
        on conflict (tenant_id, id) do update set
            direction = excluded.direction, status = excluded.status, outcome = excluded.outcome,
            from_number = excluded.from_number, to_number = excluded.to_number, external_number = excluded.external_number,
            external_e164 = excluded.external_e164, extension = excluded.extension, trunk = excluded.trunk,
            ring_group = excluded.ring_group, started_at = excluded.started_at, answered_at = excluded.answered_at,
            ended_at = excluded.ended_at, ring_seconds = excluded.ring_seconds, talk_seconds = excluded.talk_seconds,
            duration_seconds = excluded.duration_seconds, recording = excluded.recording,
            satisfaction = excluded.satisfaction, failure_reason = excluded.failure_reason, on_hold = excluded.on_hold,
            has_cdr = excluded.has_cdr, last_event_at = excluded.last_event_at, transfers = excluded.transfers,
            customer_id = coalesce(excluded.customer_id, call_logs.customer_id),
            customer_name = case when excluded.customer_id is null then call_logs.customer_name else excluded.customer_name end,
            customer_phone = case when excluded.customer_id is null then call_logs.customer_phone else excluded.customer_phone end,
            updated_at = now()
        """;

    private const string LockTenantsHistory = "select call_history_lock($1::text[])";

    private const string DeleteLegs =
        "delete from call_legs l using unnest($1::text[], $2::uuid[]) as c(tenant_id, id) where l.tenant_id = c.tenant_id and l.call_id = c.id";

    private const string InsertLegs =
        """
        insert into call_legs (tenant_id, call_id, extension, ring_at, answered_at, ended_at, outcome)
        select * from unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::text[])
        on conflict do nothing
        """;

    /// <summary>Saves each call as it is now. The calls must be distinct (one row per call and statement).</summary>
    public async Task SaveAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);

        // Every tenant's history lock before any row (migration 0010): the triggers take them again later, in two runs
        // for an upsert, and taken here at once and sorted they cannot wait in a circle with another writer's.
        batch.BatchCommands.Add(Command(LockTenantsHistory, [Array(calls.Select(c => c.TenantId).Distinct(StringComparer.Ordinal).ToList(), t => t)]));
        batch.BatchCommands.Add(Command(UpsertCalls, CallColumns(calls)));
        batch.BatchCommands.Add(Command(DeleteLegs, [Array(calls, c => c.TenantId), Array(calls, c => c.Id)]));
        var legs = calls.SelectMany(c => c.State.Legs.Select(l => (Call: c, Leg: l))).ToList();
        if (legs.Count > 0)
        {
            batch.BatchCommands.Add(Command(InsertLegs,
            [
                Array(legs, x => x.Call.TenantId),
                Array(legs, x => x.Call.Id),
                Array(legs, x => x.Leg.Extension),
                Array(legs, x => Utc(x.Leg.RingAt)),
                Array(legs, x => Utc(x.Leg.AnsweredAt)),
                Array(legs, x => Utc(x.Leg.EndedAt)),
                Array(legs, x => StorageNames.Of(x.Leg.Outcome)),
            ]));
        }

        // A batch without explicit transaction control runs as one implicit transaction: all of it or none.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter[] CallColumns(IReadOnlyList<CallRecord> calls) =>
    [
        Array(calls, c => c.TenantId),
        Array(calls, c => c.Id),
        Array(calls, c => c.PbxId),
        Array(calls, c => c.State.PbxCallId),
        Array(calls, c => StorageNames.Of(c.State.Direction)),
        Array(calls, c => StorageNames.Of(c.State.Status)),
        Array(calls, c => StorageNames.Of(c.State.Outcome)),
        Array(calls, c => c.State.From),
        Array(calls, c => c.State.To),
        Array(calls, c => c.State.ExternalNumber),
        Array(calls, c => c.ExternalE164),
        Array(calls, c => c.State.Extension),
        Array(calls, c => c.State.Trunk),
        Array(calls, c => c.State.RingGroup),
        Array(calls, c => Utc(c.State.StartedAt)),
        Array(calls, c => Utc(c.State.AnsweredAt)),
        Array(calls, c => Utc(c.State.EndedAt)),
        Array(calls, c => c.State.RingSeconds),
        Array(calls, c => c.State.TalkSeconds),
        Array(calls, c => c.State.DurationSeconds),
        Array(calls, c => c.State.Recording),
        Array(calls, c => c.State.Satisfaction),
        Array(calls, c => c.State.FailureReason),
        Array(calls, c => c.State.OnHold),
        Array(calls, c => c.State.HasCdr),
        Array(calls, c => Utc(c.State.LastEventAt)),
        Array(calls, c => JsonSerializer.Serialize(c.State.Transfers, StorageJson.Options)),
        Array(calls, c => c.Customer?.CustomerId),
        Array(calls, c => c.Customer?.Name),
        Array(calls, c => c.Customer?.Phone),
    ];

    private static NpgsqlBatchCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T[]> Array<TSource, T>(IReadOnlyList<TSource> rows, Func<TSource, T> column) =>
        new() { TypedValue = rows.Select(column).ToArray() };

    // timestamptz takes UTC DateTimes; the lifecycle's instants are UTC already, this only fixes the kind.
    private static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    private static DateTime? Utc(DateTimeOffset? value) => value?.UtcDateTime;
}
