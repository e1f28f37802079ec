-- The journal in 16 hash partitions by PBX (issue 10). Every batch appends its frames to one table, and PostgreSQL
-- grows a table one page at a time under that table's extension lock: with dozens of PBXs posting at once the
-- appends queued on it (sampled wait events under 16 concurrent 200-frame appends: 'Lock:extend' in 6 of 10 active
-- backends; unpartitioned 60-68 batches/s, partitioned 105-137 on the same machine in the same minute). A PBX's
-- batch lands in one partition, so PBXs of different partitions extend different files. Reads name the PBX (pruned
-- to one partition) or batch ids (the replay, a scan of each partition's small batch index).
alter table pbx_event_journal rename to pbx_event_journal_unpartitioned;
alter index pbx_event_journal_pkey rename to pbx_event_journal_unpartitioned_pkey;
alter index pbx_event_journal_batch rename to pbx_event_journal_unpartitioned_batch;

create table pbx_event_journal (
  tenant_id    text not null,
  pbx_id       text not null,
  dedupe_key   text not null,
  bridge_id    text not null,
  seq          bigint not null,
  source       text not null,
  received_at  timestamptz not null,
  journaled_at timestamptz not null default now(),
  event_type   text,
  pbx_call_id  text,
  frame        text not null,
  parse_error  text,
  batch_id     bigint
) partition by hash (tenant_id, pbx_id);

do $$
begin
  for remainder in 0..15 loop
    execute format('create table %I partition of pbx_event_journal for values with (modulus 16, remainder %s)',
                   'pbx_event_journal_p' || remainder, remainder);
  end loop;
end $$;

insert into pbx_event_journal (tenant_id, pbx_id, dedupe_key, bridge_id, seq, source, received_at, journaled_at,
                               event_type, pbx_call_id, frame, parse_error, batch_id)
select tenant_id, pbx_id, dedupe_key, bridge_id, seq, source, received_at, journaled_at,
       event_type, pbx_call_id, frame, parse_error, batch_id
from pbx_event_journal_unpartitioned;
drop table pbx_event_journal_unpartitioned;

-- Indexes after the copy: one sort per partition instead of an insert per row. The (tenant, PBX, call) index of 0001
-- is not made again: no query reads it (counts per PBX walk the primary key), and each frame paid for it (an append
-- without it took 0.85x the time, median of 7 paired runs).
alter table pbx_event_journal add primary key (tenant_id, pbx_id, dedupe_key);
create index pbx_event_journal_batch on pbx_event_journal (batch_id);
