-- Holders online (issue 13): one-time codes, holder sessions (never staff sessions), and the
-- family members a holder acts for (亲情服务). Personal data stays in `persons`; these tables hold
-- person ids, blind indexes and hashes only. Every table carries person_id for Citus (distributed
-- by person where it grows with the holders).

-- A one-time code sent by the notification adapter: to sign in, or for a parent's consent to be
-- served by their child. Only the code's HMAC is kept. `subject_hmac` is the blind index of what
-- was typed (document number and phone), so the throttle counts attempts against a person who may
-- not exist exactly like one who does.
create table holder_challenges (
  id uuid primary key,
  purpose text not null check (purpose in ('sign_in', 'ward_consent')),
  subject_hmac bytea not null,
  person_id uuid references persons (id),
  requested_by uuid references persons (id),
  relation text check (relation in ('child', 'parent', 'spouse', 'other')),
  code_hmac bytea,
  attempts integer not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  consumed_at timestamptz,
  ip text
);
create index holder_challenges_subject_idx on holder_challenges (subject_hmac, created_at);

create table holder_sessions (
  id uuid primary key,
  person_id uuid not null references persons (id),
  token_hash bytea not null unique,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text,
  ip text
);
create index holder_sessions_person_idx on holder_sessions (person_id);

-- 亲情服务: the holder acts for the ward. At most one open link per pair; removed links stay as
-- history (who acted for whom is also in the audit trail, act by act).
create table holder_wards (
  id uuid primary key,
  holder_person_id uuid not null references persons (id),
  ward_person_id uuid not null references persons (id),
  relation text not null check (relation in ('child', 'parent', 'spouse', 'other')),
  -- how the link was proven: the ward's recorded guardian (a child under 16), or a code sent to
  -- the ward's own phone (a consenting adult)
  proof text not null check (proof in ('recorded_guardian', 'consent_code')),
  added_at timestamptz not null,
  removed_at timestamptz,
  check (holder_person_id <> ward_person_id)
);
create unique index holder_wards_open_idx on holder_wards (holder_person_id, ward_person_id)
  where removed_at is null;
create index holder_wards_ward_idx on holder_wards (ward_person_id);
