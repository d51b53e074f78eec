-- 0003 auth security: second factor (TOTP), staff phone, inactive accounts, organisation
-- suspension (FZ-42), session facts, and rate-limit counters shared by every API node.
-- Citus: staff_otp_used and otp_enrolments are small reference-like tables keyed by staff;
-- rate_limits is distributed by key_hash.

alter table staff
  -- AES-256-GCM under the keyring, additional data `staff.totp_secret:<id>`; never in clear
  add column totp_secret_enc text,
  add column totp_enrolled_at timestamptz,
  -- AES-256-GCM, additional data `staff.phone:<id>`
  add column phone_enc text,
  add column disabled_at timestamptz,
  -- 'admin' (disabled by an administrator) or 'inactive' (the inactivity sweep)
  add column disabled_reason text,
  -- re-enabled by an administrator: inactivity counts from here, not from the last login
  add column reactivated_at timestamptz;

-- One row per accepted one-time code (account, TOTP time step): a code is good exactly once.
create table staff_otp_used (
  staff_id uuid not null references staff (id),
  time_step bigint not null,
  used_at timestamptz not null,
  primary key (staff_id, time_step)
);

-- A secret shown to its owner but not yet confirmed with a code from it. The ticket (a bearer
-- credential for this one purpose) is stored as its SHA-256 only.
create table otp_enrolments (
  id uuid primary key,
  staff_id uuid not null references staff (id),
  ticket_hash bytea not null unique,
  -- 'login': first login of an account that must have a second factor; 'session': a signed-in
  -- user adding or replacing theirs
  purpose text not null check (purpose in ('login', 'session')),
  -- AES-256-GCM, additional data `otp_enrolments.secret:<id>`
  secret_enc text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  completed_at timestamptz
);
create index otp_enrolments_staff_idx on otp_enrolments (staff_id) where completed_at is null;

-- Whether the session was opened with a second factor.
alter table sessions add column second_factor boolean not null default false;

alter table organizations
  add column suspended_at timestamptz,
  add column suspension_reason text;

-- Fixed-window request counters. The key (throttle, dimension, account or address) is stored as
-- an HMAC, so the table holds no usernames or addresses.
create table rate_limits (
  key_hash bytea primary key,
  window_start timestamptz not null,
  hits integer not null
);
create index rate_limits_window_idx on rate_limits (window_start);
