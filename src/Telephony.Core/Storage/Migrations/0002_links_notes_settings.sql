-- Links made by people (customer, orders, notes) live beside the PBX-driven call row, so the grain's
-- upsert of the call never overwrites them.
alter table call_logs
  add column customer_id    text,
  add column customer_name  text,
  add column customer_phone text;
create index call_logs_by_customer on call_logs (tenant_id, customer_id, started_at desc);

create table call_orders (
  tenant_id  text not null,
  call_id    uuid not null,
  order_id   text not null,
  linked_at  timestamptz not null default now(),
  primary key (tenant_id, call_id, order_id),
  foreign key (tenant_id, call_id) references call_logs (tenant_id, id) on delete cascade
);
create index call_orders_by_order on call_orders (tenant_id, order_id);

create table call_notes (
  tenant_id   text not null,
  id          uuid not null,
  call_id     uuid not null,
  note        text not null,
  author      text,
  created_at  timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, call_id) references call_logs (tenant_id, id) on delete cascade
);
create index call_notes_by_call on call_notes (tenant_id, call_id, created_at);

-- Free-text search over numbers and notes without a sequential scan of a month of calls.
create extension if not exists pg_trgm;
create index call_notes_text on call_notes using gin (note gin_trgm_ops);

alter table tenants
  add column sla_seconds            integer not null default 20 check (sla_seconds between 1 and 3600),
  add column short_abandon_seconds  integer not null default 5 check (short_abandon_seconds between 0 and 600);
