-- Every table carries tenant_id first: tenants never see each other's rows.
create table tenants (
  id          text primary key,
  name        text not null,
  created_at  timestamptz not null default now()
);

create table pbxes (
  tenant_id       text not null references tenants (id),
  id              text not null,
  name            text not null,
  kind            text not null default 'p-series',
  time_zone       text not null default 'UTC',
  default_region  text not null default 'RU',
  connected       boolean not null default false,
  link_reason     text,
  link_changed_at timestamptz,
  primary key (tenant_id, id)
);

create table api_keys (
  id          uuid primary key,
  tenant_id   text not null references tenants (id),
  key_hash    bytea not null unique,
  role        text not null check (role in ('admin', 'agent', 'bridge')),
  pbx_id      text,
  name        text not null,
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz,
  check (role <> 'bridge' or pbx_id is not null)
);

-- The raw journal is what makes "no call lost" true: a frame is here before the bridge hears "accepted".
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
  applied_at   timestamptz,
  primary key (tenant_id, pbx_id, dedupe_key)
);
create index pbx_event_journal_unapplied on pbx_event_journal (journaled_at) where applied_at is null;
create index pbx_event_journal_call on pbx_event_journal (tenant_id, pbx_id, pbx_call_id);

create table call_logs (
  tenant_id        text not null,
  id               uuid not null,
  pbx_id           text not null,
  pbx_call_id      text not null,
  direction        text,
  status           text not null,
  outcome          text,
  from_number      text,
  to_number        text,
  external_number  text,
  external_e164    text,
  extension        text,
  trunk            text,
  ring_group       text,
  started_at       timestamptz,
  answered_at      timestamptz,
  ended_at         timestamptz,
  ring_seconds     integer,
  talk_seconds     integer,
  duration_seconds integer,
  recording        text,
  satisfaction     text,
  failure_reason   text,
  on_hold          boolean not null default false,
  has_cdr          boolean not null default false,
  last_event_at    timestamptz not null,
  transfers        jsonb not null default '[]',
  updated_at       timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, pbx_id, pbx_call_id)
);
create index call_logs_by_time on call_logs (tenant_id, started_at desc);
create index call_logs_by_number on call_logs (tenant_id, external_e164, started_at desc);
create index call_logs_by_extension on call_logs (tenant_id, extension, started_at desc);
create index call_logs_live on call_logs (tenant_id) where status <> 'ended';

-- One row per phone that rang: stats credit the answerer and blame a miss on the group, not every phone.
create table call_legs (
  tenant_id   text not null,
  call_id     uuid not null,
  extension   text not null,
  ring_at     timestamptz not null,
  answered_at timestamptz,
  ended_at    timestamptz,
  outcome     text,
  primary key (tenant_id, call_id, extension, ring_at),
  foreign key (tenant_id, call_id) references call_logs (tenant_id, id) on delete cascade
);
create index call_legs_by_extension on call_legs (tenant_id, extension, ring_at desc);

create table extensions (
  tenant_id     text not null,
  pbx_id        text not null,
  number        text not null,
  name          text,
  registered    boolean,
  call_status   text not null default 'idle',
  presence      text,
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, pbx_id, number)
);
