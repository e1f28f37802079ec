-- History reads in index order (issue 10: history p95 ≤ 50 ms at 10 million calls). History lists calls newest
-- first, then by id, a call without a start last: every history index ends in that key, so a page - the first, a
-- deep one by keyset cursor, or a filtered one - is a short index range scan, never a sort of the tenant's calls.
-- (The old indexes sorted started_at desc with nulls first, which "desc nulls last" could not use.)
-- started_at is included so a count or a deep offset is an index-only scan.
drop index call_logs_by_time;
create index call_logs_history on call_logs (tenant_id, (coalesce(started_at, '-infinity'::timestamptz)) desc, id) include (started_at);
drop index call_logs_by_number;
create index call_logs_history_by_number on call_logs (tenant_id, external_e164, (coalesce(started_at, '-infinity'::timestamptz)) desc, id);
drop index call_logs_by_extension;
create index call_logs_history_by_extension on call_logs (tenant_id, extension, (coalesce(started_at, '-infinity'::timestamptz)) desc, id);
drop index call_logs_by_customer;
create index call_logs_history_by_customer on call_logs (tenant_id, customer_id, (coalesce(started_at, '-infinity'::timestamptz)) desc, id)
  where customer_id is not null;
-- status=missed|busy|failed: a busy or failed call is one in fifty, too rare to find by walking all calls.
create index call_logs_history_by_outcome on call_logs (tenant_id, outcome, (coalesce(started_at, '-infinity'::timestamptz)) desc, id);

-- The service runs short queries only. JIT compiling one costs 20-100 ms, and PostgreSQL decides on it from cost
-- estimates, which are large for queries over transition tables and history's LIMIT scans whatever they really cost;
-- parallel workers take longer to start than these queries take to run on a 2-core box. (ALTER DATABASE needs the
-- database's owner; without that right, configure jit = off for the service's role instead.)
do $$
begin
  execute format('alter database %I set jit = off', current_database());
exception when insufficient_privilege then
  raise notice 'jit stays as configured: % does not own the database', current_user;
end $$;

-- The calls a phone rang for, in history order: extension= matches the handling extension (index above) or any phone
-- that rang, and call_legs cannot be walked in its call's order. One row per (call, extension) that ever had a leg
-- (CallLifecycle only ever adds legs, so that is the call's legs), kept by triggers: a leg adds its row, a call whose
-- start moves moves its rows, a deleted call takes its rows along.
create table call_extension_calls (
  tenant_id  text not null,
  extension  text not null,
  sort_at    timestamptz not null,
  call_id    uuid not null
);
insert into call_extension_calls (tenant_id, extension, sort_at, call_id)
select distinct l.tenant_id, l.extension, coalesce(c.started_at, '-infinity'::timestamptz), l.call_id
from call_legs l
join call_logs c on c.tenant_id = l.tenant_id and c.id = l.call_id;
create unique index call_extension_calls_history on call_extension_calls (tenant_id, extension, sort_at desc, call_id);
alter table call_extension_calls set (parallel_workers = 0);
create index call_extension_calls_by_call on call_extension_calls (tenant_id, call_id);

-- It replaces this one, which only the old extension filter read.
drop index call_legs_by_extension;

create function call_extension_calls_on_legs() returns trigger
language plpgsql as $$
begin
  insert into call_extension_calls (tenant_id, extension, sort_at, call_id)
  select distinct l.tenant_id, l.extension, coalesce(c.started_at, '-infinity'::timestamptz), l.call_id
  from new_legs l
  join call_logs c on c.tenant_id = l.tenant_id and c.id = l.call_id
  order by 1, 2, 3, 4
  on conflict do nothing;
  return null;
end $$;

create trigger call_legs_extension_calls after insert on call_legs
  referencing new table as new_legs for each statement execute function call_extension_calls_on_legs();

-- q= searches a call's numbers, customer name, notes and handling extension. call_search holds the first three per
-- call as one lower-cased text, each between unit separators (U+001F): a pattern without that character matches the
-- text exactly when it matches one of them (ILIKE is LIKE over lower() of both sides, so LIKE of the lower-cased
-- pattern over the lower-cased text is the same test without lower-casing every row it reads), so a trigram index finds rare text and the history index walks to common text soonest,
-- without touching call_logs or call_notes. The handling extension changes as a
-- call is answered or transferred, so it stays out (a rewrite per answer would double the writer's work): q= finds
-- it through the extension index of call_logs (CallHistorySql). A row is rewritten only when its text or start changes.
create table call_search (
  tenant_id    text not null,
  call_id      uuid not null,
  sort_at      timestamptz not null,
  search_text  text not null,
  primary key (tenant_id, call_id)
);

-- The notes part of a call's search text.
create function call_search_notes(p_tenant_id text, p_call_id uuid) returns text
language sql stable as $$
  select string_agg(n.note, E'\x1f' order by n.created_at, n.id) from call_notes n where n.tenant_id = p_tenant_id and n.call_id = p_call_id
$$;

insert into call_search (tenant_id, call_id, sort_at, search_text)
select c.tenant_id, c.id, coalesce(c.started_at, '-infinity'::timestamptz),
       lower(concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name, n.notes))
from call_logs c
left join (select tenant_id, call_id, string_agg(note, E'\x1f' order by created_at, id) as notes from call_notes group by tenant_id, call_id) n
  on n.tenant_id = c.tenant_id and n.call_id = c.id;
create index call_search_history on call_search (tenant_id, sort_at desc, call_id);
alter table call_search set (parallel_workers = 0);

-- The text's trigrams (pg_trgm's, lower-cased, per word), each prefixed with the tenant: a tenant's rows share no
-- index key with another's, so finding text costs what that tenant's matches cost, not a pass over every tenant's
-- posting lists (a (tenant_id, text) index intersects with all of a tenant's rows: 46 ms for a number at 3M calls).
-- Every whole trigram of a pattern's words is among the trigrams of text that contains it, so "has all of them" is a
-- necessary condition that the ILIKE then makes exact.
-- Its search_path is fixed: autovacuum and pg_dump evaluate index expressions with an empty one, where show_trgm
-- (pg_trgm, installed by migration 0002) would not be found and the table would never be analysed.
create function call_search_tokens(p_tenant_id text, p_text text) returns text[]
language sql immutable parallel safe set search_path from current as $$
  select array(select p_tenant_id || ' ' || t from unnest(show_trgm(p_text)) t)
$$;
create index call_search_tokens on call_search using gin (call_search_tokens(tenant_id, search_text));
analyze call_search;

-- Calls' own changes: new calls, searchable fields or the start changed, calls deleted; and the extension rows of
-- calls that moved or went.
create function call_history_on_call_change() returns trigger
language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select n.tenant_id, n.id, coalesce(n.started_at, '-infinity'::timestamptz),
           lower(concat_ws(E'\x1f', n.from_number, n.to_number, n.external_number, n.external_e164, n.customer_name,
                     call_search_notes(n.tenant_id, n.id)))
    from new_rows n
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;
  elsif TG_OP = 'UPDATE' then
    -- Old and new rows are told apart by counting equal copies, not joined: the planner takes a transition table
    -- for one row, and a join of two would loop over one for every row of the other.
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select w.tenant_id, w.id, coalesce(w.started_at, '-infinity'::timestamptz),
           lower(concat_ws(E'\x1f', w.from_number, w.to_number, w.external_number, w.external_e164, w.customer_name,
                     call_search_notes(w.tenant_id, w.id)))
    from (select u.*, count(*) over (partition by u.tenant_id, u.id, u.started_at, u.from_number, u.to_number, u.external_number,
                                                  u.external_e164, u.customer_name) as copies
          from (select false as is_new, o.tenant_id, o.id, o.started_at, o.from_number, o.to_number, o.external_number, o.external_e164, o.customer_name from old_rows o
                union all
                select true, n.tenant_id, n.id, n.started_at, n.from_number, n.to_number, n.external_number, n.external_e164, n.customer_name from new_rows n) u) w
    where w.is_new and w.copies = 1
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;

    update call_extension_calls x set sort_at = coalesce(w.started_at, '-infinity'::timestamptz)
    from (select u.*, count(*) over (partition by u.tenant_id, u.id, u.started_at) as copies
          from (select false as is_new, o.tenant_id, o.id, o.started_at from old_rows o
                union all
                select true, n.tenant_id, n.id, n.started_at from new_rows n) u) w
    where w.is_new and w.copies = 1 and x.tenant_id = w.tenant_id and x.call_id = w.id;
  else
    delete from call_search s using old_rows o where s.tenant_id = o.tenant_id and s.call_id = o.id;
    delete from call_extension_calls x using old_rows o where x.tenant_id = o.tenant_id and x.call_id = o.id;
  end if;
  return null;
end $$;

create trigger call_logs_history_insert after insert on call_logs
  referencing new table as new_rows for each statement execute function call_history_on_call_change();
create trigger call_logs_history_update after update on call_logs
  referencing old table as old_rows new table as new_rows for each statement execute function call_history_on_call_change();
create trigger call_logs_history_delete after delete on call_logs
  referencing old table as old_rows for each statement execute function call_history_on_call_change();

-- A note changes its call's search text. The calls are locked first: a writer updating one of them then either
-- committed before (and is read here) or waits, and its own trigger reads this note.
create function call_history_on_notes() returns trigger
language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    perform 1 from call_logs c join (select distinct tenant_id, call_id from new_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
      order by c.tenant_id, c.id for no key update of c;
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select c.tenant_id, c.id, coalesce(c.started_at, '-infinity'::timestamptz),
           lower(concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name,
                     call_search_notes(c.tenant_id, c.id)))
    from call_logs c join (select distinct tenant_id, call_id from new_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;
  else
    perform 1 from call_logs c join (select distinct tenant_id, call_id from old_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
      order by c.tenant_id, c.id for no key update of c;
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select c.tenant_id, c.id, coalesce(c.started_at, '-infinity'::timestamptz),
           lower(concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name,
                     call_search_notes(c.tenant_id, c.id)))
    from call_logs c join (select distinct tenant_id, call_id from old_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;
  end if;
  return null;
end $$;

create trigger call_notes_history_insert after insert on call_notes
  referencing new table as new_notes for each statement execute function call_history_on_notes();
create trigger call_notes_history_delete after delete on call_notes
  referencing old table as old_notes for each statement execute function call_history_on_notes();
