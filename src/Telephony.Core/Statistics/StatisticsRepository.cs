using Dapper;
using Npgsql;

namespace Telephony.Core.Statistics;

/// <summary>
/// Call-centre figures over ended calls. A ring-group call nobody answered counts as missed for the group (its
/// bucket is the group number), not for every phone that rang; an answered call is credited to the extension that
/// answered it (the call's handling extension). Read from the rollups of migration 0007 when they can answer
/// exactly (<see cref="StatsRollupRange"/>), else in one pass over the calls; both give the same figures.
/// </summary>
public sealed class StatisticsRepository(NpgsqlDataSource dataSource)
{
    // The counters of migration 0007's rollups, summed over the rows of a bucket.
    private const string RollupFigures =
        """
        coalesce(sum(total_calls), 0)::bigint as total_calls,
        coalesce(sum(inbound), 0)::bigint as inbound,
        coalesce(sum(outbound), 0)::bigint as outbound,
        coalesce(sum(internal), 0)::bigint as internal,
        coalesce(sum(answered), 0)::bigint as answered,
        coalesce(sum(missed), 0)::bigint as missed,
        coalesce(sum(busy), 0)::bigint as busy,
        coalesce(sum(failed), 0)::bigint as failed,
        (sum(ring_answered_sum)::numeric / nullif(sum(ring_answered_count), 0))::float8 as avg_ring_seconds,
        (sum(talk_answered_sum)::numeric / nullif(sum(talk_answered_count), 0))::float8 as avg_talk_seconds,
        coalesce(sum(talk_sum), 0)::bigint as total_talk_seconds,
        coalesce(sum(orders_linked), 0)::bigint as orders_linked,
        coalesce(sum(answered_with_order), 0)::bigint as answered_with_order,
        coalesce(sum(inbound_answered), 0)::bigint as inbound_answered,
        coalesce(sum(case when cardinality(sla_ring_cum) = 0 then 0
                          else sla_ring_cum[least(@SlaSeconds + 1, cardinality(sla_ring_cum))] end), 0)::bigint as inbound_answered_within_sla,
        coalesce(sum(case when @ShortAbandonSeconds = 0 or cardinality(abandon_ring_cum) = 0 then 0
                          else abandon_ring_cum[least(@ShortAbandonSeconds, cardinality(abandon_ring_cum))] end), 0)::bigint as short_abandons,
        (sum(satisfaction_sum)::numeric / nullif(sum(satisfaction_count), 0))::float8 as avg_satisfaction,
        coalesce(sum(surveyed), 0)::bigint as surveyed
        """;

    private const string RollupColumns =
        """
        total_calls, inbound, outbound, internal, answered, missed, busy, failed, ring_answered_sum, ring_answered_count,
        talk_answered_sum, talk_answered_count, talk_sum, orders_linked, answered_with_order, inbound_answered,
        sla_ring_cum, abandon_ring_cum, satisfaction_sum, satisfaction_count, surveyed
        """;

    public async Task<IReadOnlyList<CallStatsRow>> QueryAsync(string tenantId, StatsQuery query, CancellationToken cancellationToken) =>
        StatsRollupRange.For(query) is { } range
            ? await QueryRollupsAsync(tenantId, query, range, cancellationToken)
            : await QueryCallsAsync(tenantId, query, cancellationToken);

    /// <summary>From the rollups: whole UTC months and days from the monthly and daily ones where they have the key, the hours at the ends from an hourly one.</summary>
    internal async Task<IReadOnlyList<CallStatsRow>> QueryRollupsAsync(string tenantId, StatsQuery query, StatsRollupRange range, CancellationToken cancellationToken)
    {
        var key = query.GroupBy switch
        {
            StatsGrouping.Extension => "bucket",
            StatsGrouping.Day => "to_char(hour at time zone @TimeZone, 'YYYY-MM-DD')",
            StatsGrouping.Hour => "to_char(hour at time zone @TimeZone, 'HH24')",
            _ => "null::text",
        };
        string source;
        if (query.Extension is null && query.GroupBy != StatsGrouping.Extension)
        {
            source = "select hour, " + RollupColumns + " from call_stats_hourly where tenant_id = @TenantId and hour >= @From and hour < @To";
        }
        else
        {
            var extension = query.Extension is null ? "" : " and bucket = @Extension and for_extension";
            var hourly = $"select hour, bucket, {RollupColumns} from call_stats_extension_hourly where tenant_id = @TenantId{extension}";
            var daily = $"select null::timestamptz as hour, bucket, {RollupColumns} from call_stats_extension_daily where tenant_id = @TenantId{extension}";
            var monthly = $"select null::timestamptz as hour, bucket, {RollupColumns} from call_stats_extension_monthly where tenant_id = @TenantId{extension}";
            source = query.GroupBy is StatsGrouping.Day or StatsGrouping.Hour || !range.HasDays
                ? $"{hourly} and hour >= @From and hour < @To"
                : range.HasMonths
                    ? $"""
                      {monthly} and month >= @FirstMonth and month < @EndMonth
                      union all
                      {daily} and ((day >= @FirstDay and day < @FirstMonth) or (day >= @EndMonth and day < @EndDay))
                      union all
                      {hourly} and ((hour >= @From and hour < @FirstDayStart) or (hour >= @EndDayStart and hour < @To))
                      """
                    : $"""
                      {daily} and day >= @FirstDay and day < @EndDay
                      union all
                      {hourly} and ((hour >= @From and hour < @FirstDayStart) or (hour >= @EndDayStart and hour < @To))
                      """;
        }

        // A bucket is there when a call is (a rollup row can sum to zero after its calls moved away).
        var grouped = (query.GroupBy == StatsGrouping.None ? "" : " group by key") + " having sum(total_calls) > 0";
        var sql = $"select {key} as key, {RollupFigures} from ({source}) r{grouped} order by key nulls first";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CallStatsRow>(new CommandDefinition(sql, new
        {
            TenantId = tenantId,
            range.From,
            range.To,
            range.FirstDay,
            range.EndDay,
            range.FirstDayStart,
            range.EndDayStart,
            range.FirstMonth,
            range.EndMonth,
            query.TimeZone,
            query.SlaSeconds,
            query.ShortAbandonSeconds,
            query.Extension,
        }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>In one pass over the tenant's ended calls of the range: any zone, any thresholds.</summary>
    internal async Task<IReadOnlyList<CallStatsRow>> QueryCallsAsync(string tenantId, StatsQuery query, CancellationToken cancellationToken)
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
                     exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id) as order_linked
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
                   count(*) filter (where order_linked) as orders_linked,
                   count(*) filter (where order_linked and outcome = 'answered') as answered_with_order,
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
