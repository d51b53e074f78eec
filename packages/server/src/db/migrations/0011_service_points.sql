-- 0011 service points and online validity checks (issue 12): service-point organisations
-- (hospitals, pharmacies, transit, government windows) and their registered terminals and card
-- readers (ZS-18, FZ-12, SG-26); the verification log (HN-32: every machine read is checked
-- online, and recorded); the offline deny-list for gates.
--
-- Citus: verification_log and deny_list are keyed by card_no first, so both distribute by card
-- number beside cards; terminals are small reference data.

alter table organizations drop constraint organizations_kind_check;
alter table organizations add constraint organizations_kind_check
  check (kind in ('centre', 'bank', 'branch', 'community_outlet', 'service_window', 'service_point',
                  'vendor', 'unit'));
alter table organizations add column service_point_kind text
  check (service_point_kind in ('hospital', 'pharmacy', 'transit', 'government_window', 'other'));
alter table organizations add constraint organizations_service_point_kind
  check ((kind = 'service_point') = (service_point_kind is not null));

create table terminals (
  id uuid primary key,
  organization_id uuid not null references organizations (id),
  jurisdiction char(6) not null,
  kind text not null check (kind in ('card_reader', 'pos', 'gate', 'kiosk', 'issuing_terminal')),
  label text not null,
  -- FZ-12: 品牌、型号、参数 filed with the centre
  brand text,
  model text,
  credential_kind text not null check (credential_kind in ('api_key', 'client_certificate')),
  -- SHA-256 of the API key (high-entropy, so a fast hash is enough) or of the certificate's
  -- SHA-256 fingerprint; never the credential itself
  credential_hash bytea not null unique,
  -- the last four characters, so an operator can tell two credentials apart
  credential_hint text not null,
  credential_rotated_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'suspended', 'retired')),
  rate_limit_per_second integer not null check (rate_limit_per_second between 1 and 100000),
  registered_by uuid references organizations (id),
  registered_at timestamptz not null,
  -- FZ-12: the day the equipment was installed or last changed, as stated when filed, and
  -- whether the filing came after the pack's term (7 working days in Fuzhou)
  changed_on date,
  filed_at timestamptz not null,
  filing_due_on date,
  filed_late boolean not null default false,
  version integer not null default 1,
  updated_at timestamptz not null
);
create index terminals_organization_idx on terminals (organization_id);
create index terminals_jurisdiction_idx on terminals (jurisdiction);

-- Every check by a terminal (HN-32). Written in batches (group commit): a check is answered
-- only after the batch holding its entry committed, so no answered check goes unrecorded.
create table verification_log (
  card_no text not null,
  id bigint generated always as identity,
  at timestamptz not null,
  terminal_id uuid not null,
  organization_id uuid not null,
  jurisdiction char(6),
  check_kind text not null check (check_kind in ('card', 'pin')),
  function text not null,
  valid boolean not null,
  reasons text[] not null default '{}',
  -- the node's batch, for the crash test and for tracing a batch to one node
  batch_id uuid not null,
  primary key (card_no, id)
);
create index verification_log_terminal_idx on verification_log (terminal_id, at);
create index verification_log_batch_idx on verification_log (batch_id);

-- The offline deny-list (for gates that lose their network): one row per card number that was
-- ever listed; `listed` false once it is usable again. `version` is the list version in which
-- the row last changed, so a delta since version V is the rows with version > V.
create table deny_list (
  card_no text primary key,
  jurisdiction char(6) not null,
  listed boolean not null,
  reasons text[] not null,
  version bigint not null
);
create index deny_list_version_idx on deny_list (jurisdiction, version);

create table deny_list_state (
  id smallint primary key check (id = 1),
  version bigint not null,
  -- cards changed after this instant are looked at by the next build
  built_through timestamptz,
  built_on date
);
insert into deny_list_state (id, version) values (1, 0);
