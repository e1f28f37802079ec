-- The order the PBX shows dates in; cdr/search rows without a Unix timestamp write their time that way.
-- Null: not set, so only times that read one way are accepted.
alter table pbxes add column date_format text
  check (date_format in ('MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD'));
