-- 0002 lifecycle: applications and their checks, cards, card serials, idempotency keys.
-- Citus plan: applications, application_checks and cards distribute by person_id (colocated with
-- persons); the uniqueness of card numbers and application ids then moves to lookup tables.

create table applications (
  id uuid primary key,
  person_id uuid not null references persons (id),
  -- division code of the jurisdiction and the rule-pack version the application was decided by
  jurisdiction char(6) not null,
  pack_version text not null,
  kind text not null check (kind in ('first', 'replacement', 'change', 'reissue', 'temporary')),
  reason text,
  channel text not null check (channel in ('counter', 'online', 'self_service', 'unit', 'agent')),
  production text not null check (production in ('instant', 'batch')),
  status text not null check (
    status in ('submitted', 'checking', 'approved', 'rejected', 'in_production', 'produced', 'in_stock', 'issued', 'withdrawn')
  ),
  -- the branch that makes or receives the card and hands it over, and its bank (SH-14: chosen by the applicant)
  branch_id uuid not null references organizations (id),
  bank_id uuid not null references organizations (id),
  accepted_by uuid references organizations (id),
  delivery text not null check (delivery in ('counter', 'mail', 'home', 'unit')),
  delivery_address_enc text,
  -- agent or guardian: name, document type, relationship; the document number is sealed apart
  agent jsonb,
  agent_id_number_enc text,
  fee_fen integer not null check (fee_fen >= 0),
  fee jsonb not null,
  old_card_no text,
  card_no text,
  rejection_reason text,
  rejection_rule text,
  due_at timestamptz,
  due jsonb,
  submitted_at timestamptz not null,
  approved_at timestamptz,
  produced_at timestamptz,
  stocked_at timestamptz,
  issued_at timestamptz,
  closed_at timestamptz,
  created_by uuid,
  version integer not null default 1,
  updated_at timestamptz not null
);
create index applications_person_idx on applications (person_id);
create index applications_status_idx on applications (status, due_at);
create index applications_old_card_idx on applications (old_card_no) where old_card_no is not null;
-- Two first applications for one person in one jurisdiction cannot both be open.
create unique index applications_one_open_first on applications (person_id, jurisdiction)
  where kind = 'first' and status in ('submitted', 'checking', 'approved', 'in_production', 'produced', 'in_stock');

create table application_checks (
  application_id uuid not null references applications (id),
  agency text not null,
  result text not null check (result in ('pending', 'pass', 'fail')),
  reason text,
  due_at timestamptz,
  recorded_at timestamptz,
  recorded_by uuid,
  primary key (application_id, agency)
);

create table cards (
  card_no text primary key,
  person_id uuid not null references persons (id),
  jurisdiction char(6) not null,
  kind text not null check (kind in ('regular', 'temporary')),
  application_id uuid not null references applications (id),
  generation smallint not null default 3,
  bank_id uuid references organizations (id),
  branch_id uuid references organizations (id),
  bank_account_enc text,
  bank_account_hmac bytea,
  status text not null check (status in ('in_production', 'in_stock', 'issued', 'replaced', 'cancelled', 'destroyed')),
  has_photo boolean not null,
  produced_at timestamptz,
  stocked_at timestamptz,
  issued_at timestamptz,
  issued_to text,
  expires_on date,
  social_enabled_at timestamptz,
  financial_activated_at timestamptz,
  loss_kind text not null default 'none' check (loss_kind in ('none', 'temporary', 'formal')),
  loss_since timestamptz,
  loss_until timestamptz,
  suspended_at timestamptz,
  frozen_at timestamptz,
  frozen_reason text,
  pin_hash bytea,
  pin_failures integer not null default 0,
  pin_locked_at timestamptz,
  pin_changed_at timestamptz,
  replacement_application_id uuid,
  replaced_by text,
  ended_at timestamptz,
  end_reason text,
  cancel_evidence jsonb,
  returned_at timestamptz,
  destroyed_at timestamptz,
  ecard_issued_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null
);
create index cards_person_idx on cards (person_id);
create index cards_account_idx on cards (bank_account_hmac) where bank_account_hmac is not null;
-- One person holds at most one live card per jurisdiction, one on its way, and one temporary card.
create unique index cards_one_live on cards (person_id, jurisdiction) where kind = 'regular' and status = 'issued';
create unique index cards_one_pending on cards (person_id, jurisdiction)
  where kind = 'regular' and status in ('in_production', 'in_stock');
create unique index cards_one_temporary on cards (person_id, jurisdiction)
  where kind = 'temporary' and status in ('in_production', 'in_stock', 'issued');

create table card_serials (
  jurisdiction char(6) not null,
  kind text not null,
  last_value bigint not null,
  primary key (jurisdiction, kind)
);

-- A retried request with the same Idempotency-Key returns the first answer: the key is taken in
-- the act's own transaction, so a duplicate waits for the first and then finds its answer.
create table idempotency_keys (
  actor_key text not null,
  key text not null,
  fingerprint text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null,
  primary key (actor_key, key)
);
