-- One lock per tenant instead of one for every writer (call_history_lock(), migration 0007): writers of different
-- tenants no longer wait for each other's derived-table work, which matters once several API replicas write.
-- A statement can still lock keys in two runs (an upsert fires its insert triggers, then its update triggers), so a
-- writer that might touch several tenants takes all of their locks first, in one sorted pass, before it changes a
-- row (CallLogBatchWriter, CallRepository); the triggers then take them again, which costs nothing once held.
-- A writer that skipped that step can deadlock with one that did; PostgreSQL then aborts one of them, which retries.
create function call_history_lock(tenant_ids text[]) returns void
language plpgsql as $$
declare
  lock_key int;
begin
  -- Sorted and deduplicated: any two writers take their common locks in the same order, so they never wait in a circle.
  foreach lock_key in array coalesce((select array_agg(distinct hashtext(t) order by hashtext(t)) from unnest(tenant_ids) t), '{}') loop
    perform pg_advisory_xact_lock(4200, lock_key);
  end loop;
end $$;

create or replace function call_stats_on_call_change() returns trigger
language plpgsql as $$
declare
  changes text;
  statement text;
  tenant_ids text[];
begin
  if TG_OP = 'INSERT' then
    if not exists (select 1 from new_rows where status = 'ended') then
      return null;
    end if;
    changes := 'select 1 as sign, n.* from new_rows n';
    tenant_ids := array(select distinct tenant_id from new_rows);
  elsif TG_OP = 'DELETE' then
    if not exists (select 1 from old_rows where status = 'ended') then
      return null;
    end if;
    changes := 'select -1 as sign, o.* from old_rows o';
    tenant_ids := array(select distinct tenant_id from old_rows);
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
    tenant_ids := array(select tenant_id from old_rows union select tenant_id from new_rows);
  end if;

  perform call_history_lock(tenant_ids);
  foreach statement in array call_stats_apply_sql(changes) loop
    execute statement;
  end loop;
  return null;
end $$;

create or replace function call_callback_queue_refresh(tenant_ids text[], numbers text[]) returns void
language plpgsql as $$
begin
  -- Held to commit: whoever recomputes a number last sees every other writer's committed calls of it (each statement
  -- below takes its snapshot after the lock is granted).
  perform call_history_lock(tenant_ids);

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

drop function call_history_lock();
