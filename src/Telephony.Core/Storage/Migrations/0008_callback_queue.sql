-- The callback queue (GET /api/calls/missed?open=true) as a table: per number, the oldest inbound missed call that no
-- answered call (either way) has followed since, so the queue reads in O(page) instead of over every missed call.
-- A trigger on call_logs keeps it: when a statement changes a call's outcome, direction, number or start, each
-- number it touched is recomputed from call_logs (two short index scans) under call_history_lock (migration 0007), so
-- concurrent writers of the same number cannot leave a stale entry behind.
create table call_callback_queue (
  tenant_id      text not null,
  external_e164  text not null,
  call_id        uuid not null,
  started_at     timestamptz,
  primary key (tenant_id, external_e164)
);
create index call_callback_queue_oldest on call_callback_queue (tenant_id, started_at, call_id);

create function call_callback_queue_refresh(tenant_ids text[], numbers text[]) returns void
language plpgsql as $$
begin
  -- Held to commit: whoever recomputes a number last sees every other writer's committed calls of it (each statement
  -- below takes its snapshot after the lock is granted).
  perform call_history_lock();

  with keys as (
    select distinct t as tenant_id, n as external_e164 from unnest(tenant_ids, numbers) as u(t, n)
  ),
  last_answer as (
    select k.tenant_id, k.external_e164,
           (select c.started_at from call_logs c
            where c.tenant_id = k.tenant_id and c.external_e164 = k.external_e164 and c.outcome = 'answered' and c.started_at is not null
            order by coalesce(c.started_at, '-infinity'::timestamptz) desc limit 1) as answered_at
    from keys k
  ),
  -- Missed calls at or after the last answer are not followed by one (ties included, as "started after" is strict);
  -- a missed call without a start time is never followed, and comes last. (The coalesce forms walk the history index.)
  oldest_open as (
    select a.tenant_id, a.external_e164, m.id, m.started_at
    from last_answer a
    cross join lateral (
      select * from (
        (select c.id, c.started_at from call_logs c
         where c.tenant_id = a.tenant_id and c.external_e164 = a.external_e164 and c.direction = 'inbound' and c.outcome = 'missed'
           and c.started_at is not null
           and coalesce(c.started_at, '-infinity'::timestamptz) >= coalesce(a.answered_at, '-infinity'::timestamptz)
         order by coalesce(c.started_at, '-infinity'::timestamptz) limit 1)
        union all
        (select c.id, c.started_at from call_logs c
         where c.tenant_id = a.tenant_id and c.external_e164 = a.external_e164 and c.direction = 'inbound' and c.outcome = 'missed'
           and c.started_at is null
         order by c.id limit 1)) candidates
      order by started_at nulls last limit 1) m
  ),
  closed as (
    delete from call_callback_queue q using keys k
    where q.tenant_id = k.tenant_id and q.external_e164 = k.external_e164
      and not exists (select 1 from oldest_open o where o.tenant_id = k.tenant_id and o.external_e164 = k.external_e164)
  )
  insert into call_callback_queue as q (tenant_id, external_e164, call_id, started_at)
  select tenant_id, external_e164, id, started_at from oldest_open
  order by tenant_id, external_e164
  on conflict (tenant_id, external_e164) do update set call_id = excluded.call_id, started_at = excluded.started_at
  where (q.call_id, q.started_at) is distinct from (excluded.call_id, excluded.started_at);
end $$;

-- A row matters to the queue when it is an answered call or an inbound missed one with a number.
create function call_callback_queue_on_call_change() returns trigger
language plpgsql as $$
declare
  tenant_ids text[];
  numbers text[];
begin
  if TG_OP = 'INSERT' then
    select array_agg(n.tenant_id), array_agg(n.external_e164) into tenant_ids, numbers
    from new_rows n
    where n.external_e164 is not null and (n.outcome = 'answered' or (n.outcome = 'missed' and n.direction = 'inbound'));
  elsif TG_OP = 'DELETE' then
    select array_agg(o.tenant_id), array_agg(o.external_e164) into tenant_ids, numbers
    from old_rows o
    where o.external_e164 is not null and (o.outcome = 'answered' or (o.outcome = 'missed' and o.direction = 'inbound'));
  else
    -- Both versions of a changed row count (its old number may leave the queue, its new one join it); changed rows
    -- are those without an equal copy on the other side (counted, not joined: the planner takes a transition table
    -- for one row, and a join would loop over one per row of the other).
    select array_agg(w.tenant_id), array_agg(w.external_e164) into tenant_ids, numbers
    from (select u.*, count(*) over (partition by u.tenant_id, u.id, u.outcome, u.direction, u.external_e164, u.started_at) as copies
          from (select o.tenant_id, o.id, o.outcome, o.direction, o.external_e164, o.started_at from old_rows o
                union all
                select n.tenant_id, n.id, n.outcome, n.direction, n.external_e164, n.started_at from new_rows n) u) w
    where w.copies = 1 and w.external_e164 is not null and (w.outcome = 'answered' or (w.outcome = 'missed' and w.direction = 'inbound'));
  end if;

  if numbers is not null then
    perform call_callback_queue_refresh(tenant_ids, numbers);
  end if;
  return null;
end $$;

create trigger call_logs_callback_queue_insert after insert on call_logs
  referencing new table as new_rows for each statement execute function call_callback_queue_on_call_change();
create trigger call_logs_callback_queue_update after update on call_logs
  referencing old table as old_rows new table as new_rows for each statement execute function call_callback_queue_on_call_change();
create trigger call_logs_callback_queue_delete after delete on call_logs
  referencing old table as old_rows for each statement execute function call_callback_queue_on_call_change();

-- Every number's entry at once, from call_logs (the migration's backfill and the bulk rebuild).
create function call_callback_queue_rebuild(p_tenant_id text) returns void
language plpgsql as $$
begin
  lock table call_logs in exclusive mode;
  delete from call_callback_queue where tenant_id = p_tenant_id or p_tenant_id is null;
  insert into call_callback_queue (tenant_id, external_e164, call_id, started_at)
  select distinct on (m.tenant_id, m.external_e164) m.tenant_id, m.external_e164, m.id, m.started_at
  from call_logs m
  left join (
    select tenant_id, external_e164, max(started_at) as answered_at
    from call_logs
    where outcome = 'answered' and external_e164 is not null and (tenant_id = p_tenant_id or p_tenant_id is null)
    group by tenant_id, external_e164
  ) a on a.tenant_id = m.tenant_id and a.external_e164 = m.external_e164
  where m.direction = 'inbound' and m.outcome = 'missed' and m.external_e164 is not null
    and (m.tenant_id = p_tenant_id or p_tenant_id is null)
    and (a.answered_at is null or m.started_at is null or m.started_at >= a.answered_at)
  order by m.tenant_id, m.external_e164, m.started_at nulls last, m.id;
end $$;

-- The bulk rebuild of migration 0007 now also recomputes the queue.
create or replace function call_rollups_rebuild(p_tenant_id text) returns void
language plpgsql as $$
declare
  statement text;
begin
  lock table call_logs in exclusive mode;
  delete from call_stats_hourly where tenant_id = p_tenant_id;
  delete from call_stats_extension_hourly where tenant_id = p_tenant_id;
  delete from call_stats_extension_daily where tenant_id = p_tenant_id;
  delete from call_stats_extension_monthly where tenant_id = p_tenant_id;
  foreach statement in array call_stats_apply_sql(format('select 1 as sign, c.* from call_logs c where c.tenant_id = %L', p_tenant_id)) loop
    execute statement;
  end loop;
  perform call_callback_queue_rebuild(p_tenant_id);
end $$;

-- Everything history derives from a tenant's calls, recomputed from them: the extension index and search text
-- (migration 0006), the stats rollups and the callback queue. For data loaded with triggers off (a bulk COPY under
-- session_replication_role = replica) or to check the triggers' work.
create function call_history_rebuild(p_tenant_id text) returns void
language plpgsql as $$
begin
  lock table call_logs in exclusive mode;
  delete from call_extension_calls where tenant_id = p_tenant_id;
  insert into call_extension_calls (tenant_id, extension, sort_at, call_id)
  select distinct l.tenant_id, l.extension, coalesce(c.started_at, '-infinity'::timestamptz), l.call_id
  from call_legs l
  join call_logs c on c.tenant_id = l.tenant_id and c.id = l.call_id
  where l.tenant_id = p_tenant_id;

  delete from call_search where tenant_id = p_tenant_id;
  insert into call_search (tenant_id, call_id, sort_at, search_text)
  select c.tenant_id, c.id, coalesce(c.started_at, '-infinity'::timestamptz),
         lower(concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name, n.notes))
  from call_logs c
  left join (select tenant_id, call_id, string_agg(note, E'\x1f' order by created_at, id) as notes
             from call_notes where tenant_id = p_tenant_id group by tenant_id, call_id) n
    on n.tenant_id = c.tenant_id and n.call_id = c.id
  where c.tenant_id = p_tenant_id;

  update call_logs c set has_order = exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id)
  where c.tenant_id = p_tenant_id
    and c.has_order is distinct from exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id);

  perform call_rollups_rebuild(p_tenant_id);
end $$;

select call_callback_queue_rebuild(null);
