-- The built-in customer directory (FoodFlow's CRM can replace it through CRM_LOOKUP_URL).
create table customers (
  tenant_id     text not null references tenants (id),
  id            text not null,
  name          text not null,
  phone_e164    text not null,
  email         text,
  loyalty_tier  text,
  created_at    timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index customers_by_phone on customers (tenant_id, phone_e164);

create table customer_orders (
  tenant_id    text not null,
  order_id     text not null,
  customer_id  text not null,
  placed_at    timestamptz not null,
  total        numeric(12, 2) not null,
  primary key (tenant_id, order_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
);
create index customer_orders_recent on customer_orders (tenant_id, customer_id, placed_at desc);
