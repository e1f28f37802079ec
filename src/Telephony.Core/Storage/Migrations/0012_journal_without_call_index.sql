-- The journal's (tenant, PBX, call) index of 0001 goes: no query reads it (counts per PBX walk the primary key), and
-- every frame paid for it (an append without it took 0.85x the time, median of 7 paired runs, issue 10).
-- Hash-partitioning the journal by PBX was tried as well: it took concurrent appends off one table's extension lock
-- in isolation (16 clients: 60-68 -> 105-137 batches/s), but the whole ingest bench did not gain from it (50 PBXs
-- flat out, three alternating pairs: 6,156 / 6,448 / 6,187 frames/s unpartitioned, 6,203 / 4,950 / 3,973 partitioned).
drop index pbx_event_journal_call;
