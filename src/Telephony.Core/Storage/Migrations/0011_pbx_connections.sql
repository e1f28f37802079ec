-- Fleet mode (issue 11 §3): a PBX's connection settings, platform-level fleet keys, and one lease per PBX.

-- The connection a fleet bridge uses. The client secret is AES-GCM ciphertext (SecretCipher: key id, nonce, tag,
-- ciphertext); the clear secret is never stored.
alter table pbxes
  add column host            text,
  add column port            integer check (port between 1 and 65535),
  add column api_version     text check (api_version in ('v1.0', 'v2.0.0')),
  add column client_id       text,
  add column client_secret   bytea,
  add column tls_fingerprint text;

-- Fleet keys live in api_keys with no tenant rather than in a table of their own: the authentication handler keeps
-- its single index seek on key_hash for every key, revocation and hashing stay one code path, and every
-- tenant-scoped statement (list, revoke) already filters on tenant_id = @tenantId, so a tenant never sees them.
-- The check ties the two together: a fleet key has no tenant and no PBX, every other key has a tenant.
alter table api_keys
  alter column tenant_id drop not null,
  drop constraint api_keys_role_check,
  add constraint api_keys_role_check check (role in ('admin', 'agent', 'bridge', 'fleet')),
  add constraint api_keys_fleet_is_platform check ((role = 'fleet') = (tenant_id is null) and (role <> 'fleet' or pbx_id is null));

-- Which fleet bridge holds a PBX's link. The row outlives a release (holder null): the epoch only ever grows, so an
-- epoch names one holding of the lease for ever and a bridge that lost it can be fenced off by number.
-- Times are the database's clock (now()): one clock for every API replica.
create table pbx_leases (
  tenant_id   text not null,
  pbx_id      text not null,
  holder      text,
  epoch       bigint not null,
  expires_at  timestamptz not null,
  primary key (tenant_id, pbx_id),
  foreign key (tenant_id, pbx_id) references pbxes (tenant_id, id) on delete cascade
);
