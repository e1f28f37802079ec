-- Which fleet bridges are alive (issue 11 §3). Each bridge announces itself on every pass, so one that holds no lease
-- yet (just started beside a bridge that took everything) still counts in the fair share, and the others hand it
-- PBXs. Times are the database's clock (now()), one clock for every API replica, as for pbx_leases.
create table fleet_bridges (
  bridge_id  text primary key,
  seen_at    timestamptz not null
);
