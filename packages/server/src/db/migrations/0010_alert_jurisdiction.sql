-- 0010 alerts belong to a jurisdiction where they are about its cards or applications (a late
-- card, an overdue bank account closure), so one city's centre neither sees nor acknowledges
-- another's; installation-wide alerts (a broken audit chain, a failed job) keep it null.
-- Citus: alerts stay a small reference table.
alter table alerts add column jurisdiction text;
create index alerts_jurisdiction_idx on alerts (jurisdiction, raised_at);
