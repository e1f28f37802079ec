using System.Text.Json;
using Dapper;
using Npgsql;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Core.Tests.Storage;

/// <summary>
/// Writes many calls in one statement, the way a batched write-behind writer does: one multi-row upsert of call_logs
/// (insert … select from unnest … on conflict do update), then the calls' legs replaced in bulk, in one transaction.
/// The derived tables (stats rollups, callback queue, extension index) must stay right under exactly this.
/// </summary>
internal static class BulkCallWriter
{
    public static async Task WriteAsync(NpgsqlDataSource dataSource, IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(connection, transaction, calls, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        string?[] Text(Func<CallRecord, string?> f) => [.. calls.Select(f)];
        DateTime?[] Time(Func<CallState, DateTimeOffset?> f) => [.. calls.Select(c => f(c.State)?.UtcDateTime)];
        int?[] Int(Func<CallState, int?> f) => [.. calls.Select(c => f(c.State))];
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into call_logs (tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
                external_number, external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at,
                ring_seconds, talk_seconds, duration_seconds, satisfaction, has_cdr, last_event_at, transfers, updated_at)
            select u.tenant_id, u.id, u.pbx_id, u.pbx_call_id, u.direction, u.status, u.outcome, u.from_number, u.to_number,
                u.external_number, u.external_e164, u.extension, null, u.ring_group, u.started_at, u.answered_at, u.ended_at,
                u.ring_seconds, u.talk_seconds, u.duration_seconds, u.satisfaction, u.has_cdr, u.last_event_at, u.transfers::jsonb, now()
            from unnest(@TenantIds, @Ids, @PbxIds, @PbxCallIds, @Directions, @Statuses, @Outcomes, @Froms, @Tos, @Externals,
                        @E164s, @Extensions, @RingGroups, @StartedAts, @AnsweredAts, @EndedAts, @Rings, @Talks, @Durations,
                        @Satisfactions, @HasCdrs, @LastEventAts, @Transfers)
              as u(tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number, external_number,
                   external_e164, extension, ring_group, started_at, answered_at, ended_at, ring_seconds, talk_seconds,
                   duration_seconds, satisfaction, has_cdr, last_event_at, transfers)
            on conflict (tenant_id, id) do update set
                direction = excluded.direction, status = excluded.status, outcome = excluded.outcome,
                from_number = excluded.from_number, to_number = excluded.to_number, external_number = excluded.external_number,
                external_e164 = excluded.external_e164, extension = excluded.extension, ring_group = excluded.ring_group,
                started_at = excluded.started_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at,
                ring_seconds = excluded.ring_seconds, talk_seconds = excluded.talk_seconds, duration_seconds = excluded.duration_seconds,
                satisfaction = excluded.satisfaction, has_cdr = excluded.has_cdr, last_event_at = excluded.last_event_at,
                transfers = excluded.transfers, updated_at = now()
            """,
            new
            {
                TenantIds = Text(c => c.TenantId),
                Ids = calls.Select(c => c.Id).ToArray(),
                PbxIds = Text(c => c.PbxId),
                PbxCallIds = Text(c => c.State.PbxCallId),
                Directions = Text(c => StorageNames.Of(c.State.Direction)),
                Statuses = Text(c => StorageNames.Of(c.State.Status)),
                Outcomes = Text(c => StorageNames.Of(c.State.Outcome)),
                Froms = Text(c => c.State.From),
                Tos = Text(c => c.State.To),
                Externals = Text(c => c.State.ExternalNumber),
                E164s = Text(c => c.ExternalE164),
                Extensions = Text(c => c.State.Extension),
                RingGroups = Text(c => c.State.RingGroup),
                StartedAts = Time(s => s.StartedAt),
                AnsweredAts = Time(s => s.AnsweredAt),
                EndedAts = Time(s => s.EndedAt),
                Rings = Int(s => s.RingSeconds),
                Talks = Int(s => s.TalkSeconds),
                Durations = Int(s => s.DurationSeconds),
                Satisfactions = Text(c => c.State.Satisfaction),
                HasCdrs = calls.Select(c => c.State.HasCdr).ToArray(),
                LastEventAts = calls.Select(c => c.State.LastEventAt.UtcDateTime).ToArray(),
                Transfers = calls.Select(c => JsonSerializer.Serialize(c.State.Transfers)).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));

        var legs = calls.SelectMany(c => c.State.Legs.Select(l => (Call: c, Leg: l))).ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from call_legs l using unnest(@TenantIds, @Ids) as u(tenant_id, id) where l.tenant_id = u.tenant_id and l.call_id = u.id",
            new { TenantIds = Text(c => c.TenantId), Ids = calls.Select(c => c.Id).ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into call_legs (tenant_id, call_id, extension, ring_at, answered_at, ended_at, outcome)
            select * from unnest(@TenantIds, @CallIds, @Extensions, @RingAts, @AnsweredAts, @EndedAts, @Outcomes)
            on conflict do nothing
            """,
            new
            {
                TenantIds = legs.Select(l => l.Call.TenantId).ToArray(),
                CallIds = legs.Select(l => l.Call.Id).ToArray(),
                Extensions = legs.Select(l => l.Leg.Extension).ToArray(),
                RingAts = legs.Select(l => l.Leg.RingAt.UtcDateTime).ToArray(),
                AnsweredAts = legs.Select(l => l.Leg.AnsweredAt?.UtcDateTime).ToArray(),
                EndedAts = legs.Select(l => l.Leg.EndedAt?.UtcDateTime).ToArray(),
                Outcomes = legs.Select(l => StorageNames.Of(l.Leg.Outcome)).ToArray(),
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
