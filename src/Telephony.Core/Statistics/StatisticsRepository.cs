using Dapper;
using Npgsql;

namespace Telephony.Core.Statistics;

/// <summary>
/// Call-centre figures in one pass over ended calls. A ring-group call nobody answered counts as missed
/// for the group (its bucket is the group number), not for every phone that rang; an answered call is
/// credited to the extension that answered it (the call's handling extension).
/// </summary>
public sealed class StatisticsRepository(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<CallStatsRow>> QueryAsync(string tenantId, StatsQuery query, CancellationToken cancellationToken)
    {
        var bucket = query.GroupBy switch
        {
            StatsGrouping.Extension => "coalesce(case when c.outcome = 'missed' and c.ring_group is not null then c.ring_group end, c.extension, '')",
            StatsGrouping.Day => "to_char(c.started_at at time zone @TimeZone, 'YYYY-MM-DD')",
            StatsGrouping.Hour => "to_char(c.started_at at time zone @TimeZone, 'HH24')",
            _ => "null::text",
        };
        var extensionFilter = query.Extension is null
            ? ""
            : " and c.extension = @Extension and not (c.outcome = 'missed' and c.ring_group is not null)";
        var sql = $"""
            with scoped as (
              select c.*, {bucket} as bucket,
                     exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id) as has_order
              from call_logs c
              where c.tenant_id = @TenantId and c.status = 'ended' and c.started_at >= @From and c.started_at < @To
                -- The same range in the history index's key (migration 0006), so the range is an index scan.
                and coalesce(c.started_at, '-infinity'::timestamptz) >= @From and coalesce(c.started_at, '-infinity'::timestamptz) < @To{extensionFilter}
            )
            select bucket as key,
                   count(*) as total_calls,
                   count(*) filter (where direction = 'inbound') as inbound,
                   count(*) filter (where direction = 'outbound') as outbound,
                   count(*) filter (where direction = 'internal') as internal,
                   count(*) filter (where outcome = 'answered') as answered,
                   count(*) filter (where outcome = 'missed') as missed,
                   count(*) filter (where outcome = 'busy') as busy,
                   count(*) filter (where outcome = 'failed') as failed,
                   avg(ring_seconds) filter (where outcome = 'answered')::float8 as avg_ring_seconds,
                   avg(talk_seconds) filter (where outcome = 'answered')::float8 as avg_talk_seconds,
                   coalesce(sum(talk_seconds), 0) as total_talk_seconds,
                   count(*) filter (where has_order) as orders_linked,
                   count(*) filter (where has_order and outcome = 'answered') as answered_with_order,
                   count(*) filter (where direction = 'inbound' and outcome = 'answered') as inbound_answered,
                   count(*) filter (where direction = 'inbound' and outcome = 'answered' and ring_seconds <= @SlaSeconds) as inbound_answered_within_sla,
                   count(*) filter (where direction = 'inbound' and outcome = 'missed' and coalesce(ring_seconds, 0) < @ShortAbandonSeconds) as short_abandons,
                   avg(case when satisfaction ~ '^[0-9][0-9]?[0-9]?$' then satisfaction::int end)::float8 as avg_satisfaction,
                   count(*) filter (where satisfaction is not null) as surveyed
            from scoped
            group by bucket
            order by bucket nulls first
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CallStatsRow>(new CommandDefinition(sql, new
        {
            TenantId = tenantId,
            query.From,
            query.To,
            query.TimeZone,
            query.SlaSeconds,
            query.ShortAbandonSeconds,
            query.Extension,
        }, cancellationToken: cancellationToken))).AsList();
    }
}
