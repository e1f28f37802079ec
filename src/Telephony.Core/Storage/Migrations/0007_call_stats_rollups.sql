-- Stats read pre-summed counters instead of every call (issue 10: stats p95 ≤ 50 ms at 10 million calls).
-- Ended calls are summed by the UTC hour they started in: per tenant (totals, and day / hour-of-day buckets in any
-- zone whose offset is a whole number of hours), and per stats bucket - the handling extension, or the ring group
-- for a group's missed call, as StatisticsRepository buckets them - per hour, day and month (groupBy=extension,
-- /stats/{extension}). Triggers on call_logs keep every counter equal to the raw query over call_logs for any
-- multi-row insert, upsert or delete: each statement subtracts its rows' old contribution and adds the new one, and
-- counters are only ever added to (x = x + excluded.x), so concurrent writers commute.

-- Conversion counts calls with a linked order; the flag lives on the call so a statement's old and new rows carry it.
-- The API's call upsert does not name the column, so it keeps what the order trigger below set.
alter table call_logs add column has_order boolean not null default false;
-- The flag changes nothing history's triggers (migration 0006) keep; skipping them keeps this update one pass.
alter table call_logs disable trigger call_logs_history_update;
update call_logs c set has_order = true
where exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id);
alter table call_logs enable trigger call_logs_history_update;

-- The counters every rollup row carries (a template for the tables below; it never holds rows). integer, not bigint:
-- a row is an hour, day or month of one tenant or phone, far below 2^31, and sum(integer) adds in int8 where
-- sum(bigint) adds in numeric - five times slower over the thousands of rows a year of extensions reads.
-- sla_ring_cum[i + 1]: inbound answered calls that rang ≤ i s (0..3600, the slaSeconds range);
-- abandon_ring_cum[i + 1]: inbound missed calls that rang ≤ i s (0..599, below the largest shortAbandonSeconds).
-- Both are as long as the longest ring they hold; past the end every entry equals the last one. With them any
-- slaSeconds / shortAbandonSeconds a request names is one array subscript per row.
create table call_stats_measures (
  total_calls         integer not null default 0,
  inbound             integer not null default 0,
  outbound            integer not null default 0,
  internal            integer not null default 0,
  answered            integer not null default 0,
  missed              integer not null default 0,
  busy                integer not null default 0,
  failed              integer not null default 0,
  ring_answered_sum   integer not null default 0,
  ring_answered_count integer not null default 0,
  talk_answered_sum   integer not null default 0,
  talk_answered_count integer not null default 0,
  talk_sum            integer not null default 0,
  orders_linked       integer not null default 0,
  answered_with_order integer not null default 0,
  inbound_answered    integer not null default 0,
  sla_ring_cum        int[] not null default '{}',
  abandon_ring_cum    int[] not null default '{}',
  satisfaction_sum    integer not null default 0,
  satisfaction_count  integer not null default 0,
  surveyed            integer not null default 0
);

-- Rows are updated in place all day: room on each page keeps those updates HOT (no index writes).
create table call_stats_hourly (
  tenant_id text not null,
  hour      timestamptz not null,
  like call_stats_measures including defaults,
  primary key (tenant_id, hour)
) with (fillfactor = 70);

create table call_stats_extension_hourly (
  tenant_id     text not null,
  hour          timestamptz not null,
  bucket        text not null,
  for_extension boolean not null,
  like call_stats_measures including defaults,
  primary key (tenant_id, hour, bucket, for_extension)
) with (fillfactor = 70);

-- for_extension: the call counts for /stats/{bucket} (a group's missed call counts for the group, not a phone).
create table call_stats_extension_daily (
  tenant_id     text not null,
  day           date not null,
  bucket        text not null,
  for_extension boolean not null,
  like call_stats_measures including defaults,
  primary key (tenant_id, day, bucket, for_extension)
) with (fillfactor = 70);
create index call_stats_extension_daily_by_bucket on call_stats_extension_daily (tenant_id, bucket, day);

-- A year of groupBy=extension reads whole UTC months from here, the days and hours at the ends from the tables above.
create table call_stats_extension_monthly (
  tenant_id     text not null,
  month         date not null,
  bucket        text not null,
  for_extension boolean not null,
  like call_stats_measures including defaults,
  primary key (tenant_id, month, bucket, for_extension)
) with (fillfactor = 70);
create index call_stats_extension_monthly_by_bucket on call_stats_extension_monthly (tenant_id, bucket, month);

-- Dense cumulative counts from (ring seconds, count) pairs: result[i + 1] = count of rings ≤ i.
create function call_stats_cumulative(rings int[], counts int[]) returns int[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(c::int order by i), '{}')
  from (select i, sum(coalesce(h.n, 0)) over (order by i) as c
        from generate_series(0, (select max(r) from unnest(rings) r)) i
        left join unnest(rings, counts) as h(r, n) on h.r = i) x
$$;

-- Element-wise sum of two cumulative arrays, each read past its end as its last entry.
create function call_stats_cumulative_add(a int[], b int[]) returns int[]
language sql immutable parallel safe as $$
  select coalesce(array_agg(coalesce(a[least(i, cardinality(a))], 0) + coalesce(b[least(i, cardinality(b))], 0) order by i), '{}')
  from generate_series(1, greatest(cardinality(a), cardinality(b))) i
$$;

-- The statement that adds the contribution of the rows of `changes` (a query yielding `sign` and call_logs columns:
-- +1 for a row as it is now, -1 for a row as it was) to one rollup table, grouped by `keys` (expressions over the
-- change row `ch`, named as the table's key columns). One builder for the three tables, the triggers and the rebuild.
create function call_stats_upsert_sql(target text, keys text, key_columns text, changes text) returns text
language sql immutable as $$
  select format($sql$
    with contribution as (
      select ch.tenant_id, %2$s, ch.sign, ch.direction, ch.outcome, ch.ring_seconds, ch.talk_seconds, ch.has_order, ch.satisfaction
      from (%4$s) ch
      where ch.status = 'ended' and ch.started_at is not null
    ),
    sums as (
      select tenant_id, %3$s,
             coalesce(sum(sign), 0) as total_calls,
             coalesce(sum(sign) filter (where direction = 'inbound'), 0) as inbound,
             coalesce(sum(sign) filter (where direction = 'outbound'), 0) as outbound,
             coalesce(sum(sign) filter (where direction = 'internal'), 0) as internal,
             coalesce(sum(sign) filter (where outcome = 'answered'), 0) as answered,
             coalesce(sum(sign) filter (where outcome = 'missed'), 0) as missed,
             coalesce(sum(sign) filter (where outcome = 'busy'), 0) as busy,
             coalesce(sum(sign) filter (where outcome = 'failed'), 0) as failed,
             coalesce(sum(sign * ring_seconds) filter (where outcome = 'answered'), 0) as ring_answered_sum,
             coalesce(sum(sign) filter (where outcome = 'answered' and ring_seconds is not null), 0) as ring_answered_count,
             coalesce(sum(sign * talk_seconds) filter (where outcome = 'answered'), 0) as talk_answered_sum,
             coalesce(sum(sign) filter (where outcome = 'answered' and talk_seconds is not null), 0) as talk_answered_count,
             coalesce(sum(sign * talk_seconds), 0) as talk_sum,
             coalesce(sum(sign) filter (where has_order), 0) as orders_linked,
             coalesce(sum(sign) filter (where has_order and outcome = 'answered'), 0) as answered_with_order,
             coalesce(sum(sign) filter (where direction = 'inbound' and outcome = 'answered'), 0) as inbound_answered,
             coalesce(sum(case when satisfaction ~ '^[0-9][0-9]?[0-9]?$' then sign * satisfaction::int end), 0) as satisfaction_sum,
             coalesce(sum(case when satisfaction ~ '^[0-9][0-9]?[0-9]?$' then sign end), 0) as satisfaction_count,
             coalesce(sum(sign) filter (where satisfaction is not null), 0) as surveyed
      from contribution
      group by tenant_id, %3$s
    ),
    sla as (
      select tenant_id, %3$s, call_stats_cumulative(array_agg(r order by r), array_agg(n order by r)) as cum
      from (select tenant_id, %3$s, greatest(ring_seconds, 0) as r, sum(sign)::int as n
            from contribution
            where direction = 'inbound' and outcome = 'answered' and ring_seconds <= 3600
            group by tenant_id, %3$s, greatest(ring_seconds, 0)) h
      group by tenant_id, %3$s
    ),
    abandon as (
      select tenant_id, %3$s, call_stats_cumulative(array_agg(r order by r), array_agg(n order by r)) as cum
      from (select tenant_id, %3$s, greatest(coalesce(ring_seconds, 0), 0) as r, sum(sign)::int as n
            from contribution
            where direction = 'inbound' and outcome = 'missed' and coalesce(ring_seconds, 0) < 600
            group by tenant_id, %3$s, greatest(coalesce(ring_seconds, 0), 0)) h
      group by tenant_id, %3$s
    )
    insert into %1$I as t (tenant_id, %3$s, total_calls, inbound, outbound, internal, answered, missed, busy, failed,
        ring_answered_sum, ring_answered_count, talk_answered_sum, talk_answered_count, talk_sum, orders_linked,
        answered_with_order, inbound_answered, sla_ring_cum, abandon_ring_cum, satisfaction_sum, satisfaction_count, surveyed)
    select s.tenant_id, %3$s, s.total_calls, s.inbound, s.outbound, s.internal, s.answered, s.missed, s.busy, s.failed,
           s.ring_answered_sum, s.ring_answered_count, s.talk_answered_sum, s.talk_answered_count, s.talk_sum, s.orders_linked,
           s.answered_with_order, s.inbound_answered, coalesce(sla.cum, '{}'), coalesce(abandon.cum, '{}'),
           s.satisfaction_sum, s.satisfaction_count, s.surveyed
    from sums s
    left join sla using (tenant_id, %3$s)
    left join abandon using (tenant_id, %3$s)
    -- An update that moved nothing (a customer linked to an ended call) writes nothing.
    where s.total_calls <> 0 or s.inbound <> 0 or s.outbound <> 0 or s.internal <> 0 or s.answered <> 0 or s.missed <> 0
       or s.busy <> 0 or s.failed <> 0 or s.ring_answered_sum <> 0 or s.ring_answered_count <> 0 or s.talk_answered_sum <> 0
       or s.talk_answered_count <> 0 or s.talk_sum <> 0 or s.orders_linked <> 0 or s.answered_with_order <> 0
       or s.inbound_answered <> 0 or s.satisfaction_sum <> 0 or s.satisfaction_count <> 0 or s.surveyed <> 0
       or not (0 = all(coalesce(sla.cum, '{}'))) or not (0 = all(coalesce(abandon.cum, '{}')))
    -- Rows are locked in key order, so concurrent statements never wait on each other in a circle.
    order by s.tenant_id, %3$s
    on conflict (tenant_id, %3$s) do update set
      total_calls = t.total_calls + excluded.total_calls, inbound = t.inbound + excluded.inbound,
      outbound = t.outbound + excluded.outbound, internal = t.internal + excluded.internal,
      answered = t.answered + excluded.answered, missed = t.missed + excluded.missed, busy = t.busy + excluded.busy,
      failed = t.failed + excluded.failed, ring_answered_sum = t.ring_answered_sum + excluded.ring_answered_sum,
      ring_answered_count = t.ring_answered_count + excluded.ring_answered_count,
      talk_answered_sum = t.talk_answered_sum + excluded.talk_answered_sum,
      talk_answered_count = t.talk_answered_count + excluded.talk_answered_count, talk_sum = t.talk_sum + excluded.talk_sum,
      orders_linked = t.orders_linked + excluded.orders_linked,
      answered_with_order = t.answered_with_order + excluded.answered_with_order,
      inbound_answered = t.inbound_answered + excluded.inbound_answered,
      sla_ring_cum = call_stats_cumulative_add(t.sla_ring_cum, excluded.sla_ring_cum),
      abandon_ring_cum = call_stats_cumulative_add(t.abandon_ring_cum, excluded.abandon_ring_cum),
      satisfaction_sum = t.satisfaction_sum + excluded.satisfaction_sum,
      satisfaction_count = t.satisfaction_count + excluded.satisfaction_count, surveyed = t.surveyed + excluded.surveyed
    $sql$, target, keys, key_columns, changes)
$$;

-- Adds `changes` to all four rollups, always in the same order (hourly, extension hourly, daily, monthly).
create function call_stats_apply_sql(changes text) returns text[]
language sql immutable as $$
  select array[
    call_stats_upsert_sql('call_stats_hourly', $k$date_trunc('hour', ch.started_at, 'UTC') as hour$k$, 'hour', changes),
    call_stats_upsert_sql('call_stats_extension_hourly',
      $k$date_trunc('hour', ch.started_at, 'UTC') as hour,
         coalesce(case when ch.outcome = 'missed' and ch.ring_group is not null then ch.ring_group end, ch.extension, '') as bucket,
         coalesce(not (ch.outcome = 'missed' and ch.ring_group is not null), false) as for_extension$k$,
      'hour, bucket, for_extension', changes),
    call_stats_upsert_sql('call_stats_extension_daily',
      $k$(ch.started_at at time zone 'UTC')::date as day,
         coalesce(case when ch.outcome = 'missed' and ch.ring_group is not null then ch.ring_group end, ch.extension, '') as bucket,
         coalesce(not (ch.outcome = 'missed' and ch.ring_group is not null), false) as for_extension$k$,
      'day, bucket, for_extension', changes),
    call_stats_upsert_sql('call_stats_extension_monthly',
      $k$date_trunc('month', ch.started_at at time zone 'UTC')::date as month,
         coalesce(case when ch.outcome = 'missed' and ch.ring_group is not null then ch.ring_group end, ch.extension, '') as bucket,
         coalesce(not (ch.outcome = 'missed' and ch.ring_group is not null), false) as for_extension$k$,
      'month, bucket, for_extension', changes)]
$$;

-- Serialises the derived-table work of concurrent writers (rollups here, the callback queue in 0008). Per-key locks
-- taken in key order are not enough: an INSERT ... ON CONFLICT DO UPDATE fires its insert triggers and then its update
-- triggers, so one statement locks keys in two runs, and two batch writers locking (A; B) and (B; A) deadlock. One
-- lock, taken before any other derived-table lock and held to commit, cannot form a cycle; writes that change
-- nothing derived (live calls, unchanged rows) return before taking it, so they still run side by side.
create function call_history_lock() returns void
language sql as $$
  select pg_advisory_xact_lock(4200)
$$;

-- Statement-level: one pass per statement however many calls it wrote. Writes of live calls (ringing, answered) and
-- updates that change nothing the stats read return after one cheap check.
create function call_stats_on_call_change() returns trigger
language plpgsql as $$
declare
  changes text;
  statement text;
begin
  if TG_OP = 'INSERT' then
    if not exists (select 1 from new_rows where status = 'ended') then
      return null;
    end if;
    changes := 'select 1 as sign, n.* from new_rows n';
  elsif TG_OP = 'DELETE' then
    if not exists (select 1 from old_rows where status = 'ended') then
      return null;
    end if;
    changes := 'select -1 as sign, o.* from old_rows o';
  else
    -- Rows changed in what the stats read are the ones without an equal copy on the other side (counted, not
    -- joined: the planner takes a transition table for one row, and a join would loop over one per row of the other).
    if not exists (
      select 1
      from (select u.status, count(*) over (partition by u.tenant_id, u.id, u.status, u.started_at, u.direction, u.outcome, u.extension,
                                                         u.ring_group, u.ring_seconds, u.talk_seconds, u.has_order, u.satisfaction) as copies
            from (select o.tenant_id, o.id, o.status, o.started_at, o.direction, o.outcome, o.extension, o.ring_group, o.ring_seconds, o.talk_seconds, o.has_order, o.satisfaction from old_rows o
                  union all
                  select n.tenant_id, n.id, n.status, n.started_at, n.direction, n.outcome, n.extension, n.ring_group, n.ring_seconds, n.talk_seconds, n.has_order, n.satisfaction from new_rows n) u) w
      where w.copies = 1 and w.status = 'ended') then
      return null;
    end if;
    changes := 'select -1 as sign, o.* from old_rows o union all select 1 as sign, n.* from new_rows n';
  end if;

  perform call_history_lock();
  foreach statement in array call_stats_apply_sql(changes) loop
    execute statement;
  end loop;
  return null;
end $$;

create trigger call_logs_stats_insert after insert on call_logs
  referencing new table as new_rows for each statement execute function call_stats_on_call_change();
create trigger call_logs_stats_update after update on call_logs
  referencing old table as old_rows new table as new_rows for each statement execute function call_stats_on_call_change();
create trigger call_logs_stats_delete after delete on call_logs
  referencing old table as old_rows for each statement execute function call_stats_on_call_change();

-- Keeps call_logs.has_order equal to "the call has a linked order"; that update feeds the rollups above.
create function call_orders_flag_call() returns trigger
language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    update call_logs c set has_order = true
    from (select distinct tenant_id, call_id from new_orders) o
    where c.tenant_id = o.tenant_id and c.id = o.call_id and not c.has_order;
  else
    -- Lock the calls first: the check below then runs on a snapshot that sees any other removal already committed.
    perform 1 from call_logs c join (select distinct tenant_id, call_id from old_orders) o on c.tenant_id = o.tenant_id and c.id = o.call_id
      order by c.tenant_id, c.id for no key update of c;
    update call_logs c set has_order = false
    from (select distinct tenant_id, call_id from old_orders) o
    where c.tenant_id = o.tenant_id and c.id = o.call_id and c.has_order
      and not exists (select 1 from call_orders x where x.tenant_id = c.tenant_id and x.call_id = c.id);
  end if;
  return null;
end $$;

create trigger call_orders_flag_insert after insert on call_orders
  referencing new table as new_orders for each statement execute function call_orders_flag_call();
create trigger call_orders_flag_delete after delete on call_orders
  referencing old table as old_orders for each statement execute function call_orders_flag_call();

-- Recomputes a tenant's rollups from call_logs (after a bulk load that bypassed triggers, or to check them).
-- call_logs is locked first, so a writer either committed before the snapshot or waits and adds its delta after.
create function call_rollups_rebuild(p_tenant_id text) returns void
language plpgsql as $$
declare
  statement text;
begin
  -- Writers wait until the rebuild commits (every derived-table write starts with a lock on call_logs); readers do not.
  lock table call_logs in exclusive mode;
  delete from call_stats_hourly where tenant_id = p_tenant_id;
  delete from call_stats_extension_hourly where tenant_id = p_tenant_id;
  delete from call_stats_extension_daily where tenant_id = p_tenant_id;
  delete from call_stats_extension_monthly where tenant_id = p_tenant_id;
  foreach statement in array call_stats_apply_sql(format('select 1 as sign, c.* from call_logs c where c.tenant_id = %L', p_tenant_id)) loop
    execute statement;
  end loop;
end $$;

select call_rollups_rebuild(t.tenant_id) from (select distinct tenant_id from call_logs) t;
