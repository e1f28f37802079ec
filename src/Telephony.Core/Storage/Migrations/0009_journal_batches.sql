-- "Applied" is marked per journaled batch instead of per frame: a frame row is written once and never updated (the
-- per-frame update wrote every frame, with its indexes, a second time: as much work as journaling it).
create table pbx_event_batches (
  id           bigint generated always as identity primary key,
  tenant_id    text not null,
  pbx_id       text not null,
  journaled_at timestamptz not null default now(),
  applied_at   timestamptz
);
create index pbx_event_batches_unapplied on pbx_event_batches (id) where applied_at is null;

-- No foreign key: the batch row is written by the same statement, and a key check per frame is what this saves.
alter table pbx_event_journal add column batch_id bigint;
create index pbx_event_journal_batch on pbx_event_journal (batch_id);

-- Frames journaled before this version and not applied yet: one batch per PBX, so the replay still finds them.
insert into pbx_event_batches (tenant_id, pbx_id, journaled_at)
select tenant_id, pbx_id, min(journaled_at) from pbx_event_journal
where applied_at is null and parse_error is null
group by tenant_id, pbx_id;
update pbx_event_journal j set batch_id = b.id
from pbx_event_batches b
where j.applied_at is null and j.parse_error is null and b.tenant_id = j.tenant_id and b.pbx_id = j.pbx_id;

drop index pbx_event_journal_unapplied;
alter table pbx_event_journal drop column applied_at;
