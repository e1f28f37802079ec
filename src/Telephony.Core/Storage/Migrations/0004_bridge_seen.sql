-- When the bridge last reported its link: a bridge that died without a word must not look connected forever.
alter table pbxes add column bridge_seen_at timestamptz;
