-- Call recordings (issue 13): one row per call whose CDR named a recording file. The bridge archives each pending one
-- (downloads it from the PBX, uploads it to the API, which stores it in Blob Storage); the PBX may say it has none
-- (missing); a tenant admin's erasure or the retention sweep deletes it (deleted, with an audit row).
create table call_recordings (
  tenant_id      text not null,
  call_id        uuid not null,
  pbx_id         text not null,
  file_name      text not null,
  status         text not null default 'pending' check (status in ('pending', 'archived', 'missing', 'deleted')),
  call_started_at timestamptz,
  blob_name      text,
  content_type   text,
  size_bytes     bigint,
  reason         text,
  created_at     timestamptz not null default now(),
  changed_at     timestamptz not null default now(),
  primary key (tenant_id, call_id)
);

-- What a PBX's bridge still has to archive, oldest first; and what the retention sweep may remove.
create index call_recordings_pending on call_recordings (tenant_id, pbx_id, created_at) where status = 'pending';
create index call_recordings_archived on call_recordings (tenant_id, call_started_at) where status = 'archived';

-- Every write of a call that names a recording registers it, whichever path wrote the call (live, CDR backfill,
-- journal replay): nothing has to remember to. A recording once registered keeps its state.
create function call_recordings_register() returns trigger language plpgsql as $$
begin
  insert into call_recordings (tenant_id, call_id, pbx_id, file_name, call_started_at)
  select n.tenant_id, n.id, n.pbx_id, n.recording, n.started_at
  from new_rows n
  where nullif(n.recording, '') is not null
  on conflict (tenant_id, call_id) do nothing;
  return null;
end $$;

create trigger call_logs_recordings_insert after insert on call_logs
  referencing new table as new_rows for each statement execute function call_recordings_register();
create trigger call_logs_recordings_update after update on call_logs
  referencing new table as new_rows for each statement execute function call_recordings_register();

-- Erasures and expiries, kept after the recording is gone: who removed which call's recording, when, and why.
create table recording_audit (
  id         bigint generated always as identity primary key,
  tenant_id  text not null,
  call_id    uuid not null,
  file_name  text not null,
  action     text not null check (action in ('deleted', 'expired')),
  actor      text not null,
  reason     text,
  at         timestamptz not null default now()
);
create index recording_audit_by_tenant on recording_audit (tenant_id, at desc);

-- Days a tenant keeps its recordings; null = for ever.
alter table tenants add column recording_retention_days integer check (recording_retention_days > 0);
