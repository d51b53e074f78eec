-- 0005 audit retention, alerts and daily jobs.
--
-- Retention: records older than SSCARD_AUDIT_RETENTION_DAYS (never under 183 days) may be
-- pruned, only after they were exported to an archive. Each shard keeps the anchor of what was
-- pruned (the seq, hash and time of the last pruned record) in `audit_heads`, and the chain is
-- verified from that anchor on. The database still refuses every update and truncate of the
-- trail and every delete, except a delete by the prune code: inside a transaction that set
-- `sscard.audit_prune = 'on'` and `sscard.audit_prune_before` (the cut-off) locally, of a
-- record older than the cut-off, at least 183 days older than the newest record, and at or
-- below its shard's anchor (which must itself have been moved first, under the same rules).
-- Citus: audit_heads stays distributed by shard; alerts and job_runs are small reference tables.

alter table audit_heads
  add column base_seq bigint not null default 0,
  add column base_hash bytea not null default decode(repeat('00', 32), 'hex'),
  add column base_at timestamptz;

create or replace function audit_log_append_only() returns trigger language plpgsql as $$
declare
  v_before timestamptz;
  v_base bigint;
begin
  if tg_op = 'DELETE' and tg_level = 'ROW'
     and current_setting('sscard.audit_prune', true) = 'on' then
    v_before := nullif(current_setting('sscard.audit_prune_before', true), '')::timestamptz;
    select base_seq into v_base from audit_heads where shard = old.shard;
    if v_before is not null
       and old.at < v_before
       and old.at < (select max(at) from audit_log) - interval '183 days'
       and old.seq <= coalesce(v_base, 0) then
      return old;
    end if;
    raise exception 'audit_log is append-only: record % of shard % is not prunable (younger than the cut-off or above the anchor)',
      old.seq, old.shard;
  end if;
  raise exception 'audit_log is append-only';
end
$$;

-- The heads move forward only; the anchor moves only under the prune setting, forward, onto an
-- existing record older than the cut-off whose hash it copies.
create function audit_heads_guard() returns trigger language plpgsql as $$
declare
  v_before timestamptz;
  v_at timestamptz;
begin
  if tg_op in ('DELETE', 'TRUNCATE') then
    raise exception 'audit_heads: a chain head cannot be removed';
  end if;
  if new.shard <> old.shard or new.seq < old.seq then
    raise exception 'audit_heads: a chain head only moves forward (shard %)', old.shard;
  end if;
  if new.base_seq is distinct from old.base_seq
     or new.base_hash is distinct from old.base_hash
     or new.base_at is distinct from old.base_at then
    if current_setting('sscard.audit_prune', true) is distinct from 'on' then
      raise exception 'audit_heads: the anchor of shard % moves only when records are pruned', old.shard;
    end if;
    v_before := nullif(current_setting('sscard.audit_prune_before', true), '')::timestamptz;
    select at into v_at from audit_log
      where shard = new.shard and seq = new.base_seq and hash = new.base_hash;
    if new.base_seq <= old.base_seq or new.base_seq > new.seq
       or v_at is null or v_before is null or v_at >= v_before
       or v_at is distinct from new.base_at
       or v_at >= (select max(at) from audit_log) - interval '183 days' then
      raise exception 'audit_heads: anchor of shard % cannot move to record %', old.shard, new.base_seq;
    end if;
  end if;
  return new;
end
$$;
create trigger audit_heads_no_rewind before update or delete on audit_heads
  for each row execute function audit_heads_guard();
create trigger audit_heads_no_truncate before truncate on audit_heads
  for each statement execute function audit_heads_guard();

-- Things an operator must look at (a broken audit chain, a failed daily job). No personal data
-- in `details`. `key` says what "the same" alert is (e.g. the broken link): a check that finds
-- it again counts an occurrence instead of raising it anew, acknowledged or not.
create table alerts (
  id uuid primary key,
  kind text not null,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  key text not null,
  raised_at timestamptz not null,
  last_seen_at timestamptz not null,
  occurrences integer not null default 1,
  details jsonb,
  acknowledged_by uuid references staff (id),
  acknowledged_at timestamptz,
  unique (kind, key)
);
create index alerts_open_idx on alerts (raised_at) where acknowledged_at is null;

-- Daily jobs. A scheduled run claims its job's Shanghai calendar day (the partial unique index),
-- so it runs at most once a day whichever API node gets there first; runs on demand do not
-- claim the day. A claim left `running` past the job's time limit (a node died) may be taken
-- over, which counts an attempt.
create table job_runs (
  id uuid primary key,
  job text not null,
  day date not null,
  trigger text not null check (trigger in ('schedule', 'manual')),
  requested_by text not null,
  status text not null check (status in ('running', 'succeeded', 'failed')),
  attempts integer not null default 1,
  started_at timestamptz not null,
  finished_at timestamptz,
  result jsonb,
  error text
);
create unique index job_runs_daily_idx on job_runs (job, day) where trigger = 'schedule';
create index job_runs_job_idx on job_runs (job, started_at);
