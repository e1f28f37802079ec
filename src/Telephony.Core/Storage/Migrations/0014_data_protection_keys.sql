-- The ASP.NET Core data-protection key ring, shared by every API replica (issue 12 §1): a hub token issued by one
-- replica is read by another. One row per key, as the key manager writes it (XML); rows are never updated.
-- With TELEPHONY_SECRETS_KEY set each key is sealed with it (SecretsKeyXmlEncryptor), as the PBX client secrets are.
create table data_protection_keys (
  friendly_name  text primary key,
  xml            text not null,
  created_at     timestamptz not null default now()
);
