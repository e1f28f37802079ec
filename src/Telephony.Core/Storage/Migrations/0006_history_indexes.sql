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

-- q= searches a call's numbers, customer name, extension and notes. call_search holds them per call as one text, each
-- between unit separators (U+001F): a pattern without that character matches the text exactly when it matches one
-- of them, so one trigram index (with the tenant in it, btree_gin) finds rare text and the history index walks to
-- common text soonest, without touching call_logs or call_notes. It is rewritten only when one of those changes.
create extension if not exists btree_gin;
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
       concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name, c.extension, n.notes)
from call_logs c
left join (select tenant_id, call_id, string_agg(note, E'\x1f' order by created_at, id) as notes from call_notes group by tenant_id, call_id) n
  on n.tenant_id = c.tenant_id and n.call_id = c.id;
create index call_search_history on call_search (tenant_id, sort_at desc, call_id);
create index call_search_text on call_search using gin (tenant_id, search_text gin_trgm_ops);
-- A finer histogram tells rare text from common text, so the planner picks the right one of the two indexes.
alter table call_search alter column search_text set statistics 1000;
analyze call_search;

-- Calls' own changes: new calls, searchable fields or the start changed, calls deleted; and the extension rows of
-- calls that moved or went.
create function call_history_on_call_change() returns trigger
language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select n.tenant_id, n.id, coalesce(n.started_at, '-infinity'::timestamptz),
           concat_ws(E'\x1f', n.from_number, n.to_number, n.external_number, n.external_e164, n.customer_name, n.extension,
                     call_search_notes(n.tenant_id, n.id))
    from new_rows n
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;
  elsif TG_OP = 'UPDATE' then
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select n.tenant_id, n.id, coalesce(n.started_at, '-infinity'::timestamptz),
           concat_ws(E'\x1f', n.from_number, n.to_number, n.external_number, n.external_e164, n.customer_name, n.extension,
                     call_search_notes(n.tenant_id, n.id))
    from old_rows o
    join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
    where (o.started_at, o.from_number, o.to_number, o.external_number, o.external_e164, o.customer_name, o.extension)
          is distinct from (n.started_at, n.from_number, n.to_number, n.external_number, n.external_e164, n.customer_name, n.extension)
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;

    update call_extension_calls x set sort_at = coalesce(n.started_at, '-infinity'::timestamptz)
    from old_rows o
    join new_rows n on n.tenant_id = o.tenant_id and n.id = o.id
    where o.started_at is distinct from n.started_at and x.tenant_id = n.tenant_id and x.call_id = n.id;
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
           concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name, c.extension,
                     call_search_notes(c.tenant_id, c.id))
    from call_logs c join (select distinct tenant_id, call_id from new_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
    order by 1, 2
    on conflict (tenant_id, call_id) do update set sort_at = excluded.sort_at, search_text = excluded.search_text;
  else
    perform 1 from call_logs c join (select distinct tenant_id, call_id from old_notes) n on c.tenant_id = n.tenant_id and c.id = n.call_id
      order by c.tenant_id, c.id for no key update of c;
    insert into call_search (tenant_id, call_id, sort_at, search_text)
    select c.tenant_id, c.id, coalesce(c.started_at, '-infinity'::timestamptz),
           concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name, c.extension,
                     call_search_notes(c.tenant_id, c.id))
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
