-- The ASP.NET Core data-protection key ring, shared by every API replica (issue 12 §1): a hub token issued by one
-- replica is read by another. One row per key, as the key manager writes it (XML); rows are never updated.
-- A key here lets its holder mint hub tokens, which only carry a tenant's live pushes: what a reader of this database
-- can read from its tables anyway.
create table data_protection_keys (
  friendly_name  text primary key,
  xml            text not null,
  created_at     timestamptz not null default now()
);
