-- 0001 foundation: organisations, staff, sessions, persons, photos, audit, settings.
-- Distribution plan for Citus (see docs/ARCHITECTURE.md): organizations, staff and settings are
-- reference tables; person_* tables are distributed by person_id and colocated with persons;
-- person_keys by key_hmac; audit_log and audit_heads by shard.

create table organizations (
  id uuid primary key,
  kind text not null check (kind in ('centre', 'bank', 'branch', 'community_outlet', 'vendor', 'unit')),
  -- centre: provincial | city; unit: employer | school | village; others null
  level text check (level in ('provincial', 'city', 'employer', 'school', 'village')),
  code text not null unique,
  name text not null,
  jurisdiction char(6) not null,
  parent_id uuid references organizations (id),
  -- The head-office bank this organisation belongs to (itself for a bank), for bank scopes.
  bank_id uuid references organizations (id),
  can_instant_issue boolean not null default false,
  status text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null
);
create index organizations_parent_idx on organizations (parent_id);
create index organizations_bank_idx on organizations (bank_id);
create index organizations_jurisdiction_idx on organizations (jurisdiction);

create table staff (
  id uuid primary key,
  username text not null unique,
  display_name text not null,
  -- null only for installation-level accounts (the installation administrator)
  organization_id uuid references organizations (id),
  role text not null,
  password_hash text not null,
  status text not null default 'active' check (status in ('active', 'disabled')),
  failed_logins integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz not null,
  created_at timestamptz not null,
  created_by uuid
);
create index staff_organization_idx on staff (organization_id);

create table sessions (
  id uuid primary key,
  -- SHA-256 of the bearer token; the token itself is never stored
  token_hash bytea not null unique,
  staff_id uuid not null references staff (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text,
  ip text
);
create index sessions_staff_idx on sessions (staff_id) where ended_at is null;

create table persons (
  id uuid primary key,
  -- personal data at rest: *_enc is AES-256-GCM ciphertext (key id inside), never plaintext
  ssn_enc text not null,
  id_type text not null,
  id_number_enc text not null,
  name text not null,
  sex text not null check (sex in ('male', 'female')),
  ethnicity text,
  nationality char(3) not null,
  birth_date date not null,
  phone_enc text,
  phone_hmac bytea,
  household_address_enc text,
  residence_address_enc text,
  postcode text,
  occupation text,
  medical_insurance text check (medical_insurance in ('employee', 'resident', 'other')),
  guardian jsonb,
  guardian_id_number_enc text,
  hardship text not null default 'none' check (hardship in ('none', 'tekun', 'dibao')),
  died_on date,
  death_evidence text,
  photo_id uuid,
  jurisdiction char(6) not null,
  registered_by uuid references organizations (id),
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index persons_phone_idx on persons (phone_hmac);

-- Exact-match keys of a person (blind indexes: HMAC of the normalised value). The primary key
-- makes the social security number and each identity document unique installation-wide.
create table person_keys (
  key_kind text not null check (key_kind in ('ssn', 'id_document')),
  key_hmac bytea not null,
  person_id uuid not null references persons (id),
  primary key (key_kind, key_hmac)
);
create index person_keys_person_idx on person_keys (person_id);

-- Which organisations have business with a person; data scopes are computed from it.
create table person_orgs (
  person_id uuid not null references persons (id),
  organization_id uuid not null references organizations (id),
  relation text not null,
  created_at timestamptz not null,
  primary key (person_id, organization_id, relation)
);
create index person_orgs_org_idx on person_orgs (organization_id);

create table photos (
  id uuid primary key,
  person_id uuid not null references persons (id),
  content_type text not null,
  byte_size integer not null,
  width integer,
  height integer,
  sha256 bytea not null,
  data_enc bytea not null,
  created_at timestamptz not null
);
create index photos_person_idx on photos (person_id);

-- Numbers handed out by our SSN rule for people without an 18-digit number.
create table ssn_sequences (
  prefix text primary key,
  last_value integer not null
);

-- Append-only audit trail, hash-chained per shard. The application never updates or deletes it.
create table audit_log (
  shard smallint not null,
  seq bigint not null,
  id uuid not null,
  at timestamptz not null,
  actor_id uuid,
  actor_username text,
  actor_org_id uuid,
  actor_role text,
  ip text,
  request_id text,
  action text not null,
  target_type text,
  target_id text,
  jurisdiction char(6),
  reason text,
  outcome text not null check (outcome in ('success', 'refused', 'error')),
  code text,
  details jsonb,
  prev_hash bytea not null,
  hash bytea not null,
  primary key (shard, seq)
);
create index audit_log_target_idx on audit_log (target_type, target_id);
create index audit_log_at_idx on audit_log (at);

-- Defence in depth: the database itself refuses to change or delete audit records. Disabling
-- this trigger needs the table owner and is itself visible in the server's logs.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_update_delete before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

create table audit_heads (
  shard smallint primary key,
  seq bigint not null,
  hash bytea not null
);

create table system_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null
);
