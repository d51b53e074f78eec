-- Unit batch applications from rosters (issue 14 item 1; FZ-18, HN-9; SH-9 has none).
-- A roster is one uploaded file of one unit, imported by a queued job (`roster.import`) in chunks;
-- each chunk is one act that writes its rows' outcomes and moves `cursor_row` in the same
-- transaction, so a crash leaves every row imported or not and the job resumes after the cursor.
-- Personal data stays sealed: the file is kept encrypted (AES-256-GCM, the keyring), rows hold
-- outcomes and ids only.

create table rosters (
  id uuid primary key,
  jurisdiction text not null,
  -- The unit: a registered organisation (kind `unit`) or the name and code it gave.
  unit_organization_id uuid references organizations (id),
  unit_name text,
  unit_code text,
  bank_id uuid not null references organizations (id),
  branch_id uuid not null references organizations (id),
  filename text not null,
  file_kind text not null check (file_kind in ('xlsx', 'csv')),
  file_sha256 text not null,
  file_bytes integer not null,
  -- The unit's key for "the same file again": organisation id, else code, else name.
  unit_key text not null,
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  job_id text,
  total_rows integer,
  accepted integer not null default 0,
  refused integer not null default 0,
  -- The last file row (1-based, the header is row 1) whose outcome is committed.
  cursor_row integer not null default 1,
  -- The columns found in the header: {"name": 0, "idNumber": 2, "phone": 3}.
  columns jsonb,
  error text,
  -- Who uploaded it: the actor the chunks act as (ids and role, no personal data).
  actor jsonb not null,
  created_by uuid,
  created_at timestamptz not null,
  finished_at timestamptz,
  updated_at timestamptz not null
);
create unique index rosters_same_file on rosters (jurisdiction, unit_key, file_sha256);
create index rosters_jurisdiction_idx on rosters (jurisdiction, created_at desc);

-- The stored upload, sealed (AES-256-GCM with the roster id as associated data).
create table roster_files (
  roster_id uuid primary key references rosters (id),
  file_enc bytea not null
);

-- One outcome per data row of the file: accepted (an application) or refused (a reason).
create table roster_rows (
  roster_id uuid not null references rosters (id),
  row_no integer not null,
  outcome text not null check (outcome in ('accepted', 'refused')),
  code text,
  message_zh text,
  message_en text,
  rule text,
  person_id uuid references persons (id),
  application_id uuid references applications (id),
  primary key (roster_id, row_no)
);
create index roster_rows_refused_idx on roster_rows (roster_id, outcome, row_no);
