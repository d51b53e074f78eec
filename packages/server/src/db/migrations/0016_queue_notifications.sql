-- The background queue and the notifications outbox (issue 14, items 9 and 7; docs/QUEUE.md,
-- docs/NOTIFICATIONS.md).
--
-- Citus: both tables are meant to be distributed by `jurisdiction` (a job or a message belongs to
-- one centre; the runner's claim filters by id or by due time, and the rows of a jurisdiction stay
-- together). Their primary keys would then become (jurisdiction, id); nothing joins them across
-- jurisdictions. Until then they are plain tables.

-- One row per job, whichever runner takes it (graphile-worker on a server, the in-process poller on
-- the embedded database). `status`: queued → running → succeeded | failed (after max_attempts) |
-- cancelled; a failed attempt goes back to queued with run_at moved by exponential backoff. A
-- running job whose lease (locked_at) ran out (its node died) is taken again.
create table queue_jobs (
  id uuid primary key,
  kind text not null,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  payload jsonb not null default '{}'::jsonb,
  jurisdiction char(6),
  dedupe_key text,
  progress_done integer not null default 0,
  progress_total integer,
  progress_message text,
  result jsonb,
  error text,
  attempts integer not null default 0,
  max_attempts integer not null default 5 check (max_attempts >= 1),
  run_at timestamptz not null,
  locked_by text,
  locked_at timestamptz,
  created_by text not null,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz
);
-- A second enqueue with the same key finds the first job.
create unique index queue_jobs_dedupe_idx on queue_jobs (dedupe_key) where dedupe_key is not null;
-- The runner's claim: due jobs in order, and running jobs whose lease may have run out.
create index queue_jobs_due_idx on queue_jobs (run_at) where status = 'queued';
create index queue_jobs_running_idx on queue_jobs (locked_at) where status = 'running';
-- The console's list (newest first, by kind and status) and "my jobs".
create index queue_jobs_list_idx on queue_jobs (created_at desc, id);
create index queue_jobs_creator_idx on queue_jobs (created_by, created_at desc);

-- The outbox of messages to holders. Written by triggers in the transaction of the act that
-- changed the card or the application, so every path (counter, sweep, import, CLI) writes them.
-- `payload`: only what the template needs (a masked card number, a branch id, a reason); the phone
-- number is opened from the sealed person record at delivery only. `dedupe_key` is unique: a
-- message is written once, and a delivery claims it (status `sending`) before calling the gateway.
create table notifications (
  id uuid primary key,
  person_id uuid not null references persons (id),
  jurisdiction char(6) not null,
  kind text not null check (
    kind in ('card_ready', 'pickup_reminder', 'loss_lapse', 'application_rejected', 'ecard_issued', 'ecard_suspended')
  ),
  channel text not null default 'sms' check (channel in ('sms')),
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_at timestamptz,
  last_error text,
  sent_at timestamptz,
  dedupe_key text not null,
  created_at timestamptz not null
);
create unique index notifications_dedupe_idx on notifications (dedupe_key);
create index notifications_list_idx on notifications (created_at desc, id);
create index notifications_person_idx on notifications (person_id);
create index notifications_due_idx on notifications (next_attempt_at) where status in ('queued', 'failed', 'sending');

-- Writes a message and its delivery job, once per dedupe key. `at`: the act's time (the row's own
-- timestamp, set from the platform's clock), never the database's.
create or replace function sscard_notify(
  p_person uuid, p_jurisdiction text, p_kind text, p_payload jsonb, p_dedupe text, p_at timestamptz
) returns void language plpgsql as $$
declare
  n_id uuid := gen_random_uuid();
begin
  insert into notifications (id, person_id, jurisdiction, kind, payload, status, next_attempt_at, dedupe_key, created_at)
  values (n_id, p_person, p_jurisdiction, p_kind, p_payload, 'queued', p_at, p_dedupe, p_at)
  on conflict (dedupe_key) do nothing;
  if not found then
    return;
  end if;
  insert into queue_jobs (id, kind, status, payload, jurisdiction, dedupe_key, max_attempts, run_at, created_by, created_at)
  values (gen_random_uuid(), 'notify.deliver', 'queued', jsonb_build_object('notificationId', n_id),
          p_jurisdiction, 'notify:' || n_id::text, 6, p_at, 'system:notifications', p_at)
  on conflict do nothing;
end;
$$;

-- The card number as a message shows it: its last four characters.
create or replace function sscard_card_tail(p_card_no text) returns text language sql immutable as $$
  select right(p_card_no, 4)
$$;

-- A card arrived at its branch (in stock): ready for pickup there.
create or replace function sscard_notify_card() returns trigger language plpgsql as $$
begin
  if new.status = 'in_stock' and old.status is distinct from 'in_stock' and new.kind = 'regular' then
    perform sscard_notify(new.person_id, new.jurisdiction, 'card_ready',
      jsonb_build_object('cardTail', sscard_card_tail(new.card_no), 'branchId', new.branch_id),
      'card_ready:' || new.card_no || ':' || extract(epoch from coalesce(new.stocked_at, new.updated_at))::bigint,
      coalesce(new.stocked_at, new.updated_at));
  end if;
  -- An e-card's card suspended or frozen: the e-card stops with it.
  if ((new.suspended_at is not null and old.suspended_at is null)
          or (new.frozen_at is not null and old.frozen_at is null))
     and exists (select 1 from ecards e where e.card_no = new.card_no) then
    perform sscard_notify(new.person_id, new.jurisdiction, 'ecard_suspended',
      jsonb_build_object('cardTail', sscard_card_tail(new.card_no)),
      'ecard_suspended:' || new.card_no || ':' || extract(epoch from new.updated_at)::bigint,
      new.updated_at);
  end if;
  return new;
end;
$$;
create trigger cards_notify after update on cards
  for each row execute function sscard_notify_card();

-- A card inserted straight into stock (instant production at the counter) is handed over there and
-- then: no pickup message.

-- An application rejected, with its reason and the rule.
create or replace function sscard_notify_application() returns trigger language plpgsql as $$
begin
  if new.status = 'rejected' and old.status is distinct from 'rejected' then
    perform sscard_notify(new.person_id, new.jurisdiction, 'application_rejected',
      jsonb_build_object('applicationId', new.id, 'reason', coalesce(new.rejection_reason, ''),
                         'rule', new.rejection_rule),
      'application_rejected:' || new.id::text,
      new.updated_at);
  end if;
  return new;
end;
$$;
create trigger applications_notify after update on applications
  for each row execute function sscard_notify_application();

-- An e-card issued with its card.
create or replace function sscard_notify_ecard() returns trigger language plpgsql as $$
begin
  perform sscard_notify(new.person_id, new.jurisdiction, 'ecard_issued',
    jsonb_build_object('cardTail', sscard_card_tail(new.card_no)),
    'ecard_issued:' || new.id::text,
    new.issued_at);
  return new;
end;
$$;
create trigger ecards_notify after insert on ecards
  for each row execute function sscard_notify_ecard();
