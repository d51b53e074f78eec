-- 0019 bank account opening by file (issue 14 item 2; FZ-18(四)(五)): a bank either opens the
-- accounts of cards being made online, one by one (the bank adapter, as before), or in batches:
-- sscard exports an account-opening request file and imports the bank's return file (success
-- flag, ID number, branch, bank account number). Which, is the bank organisation's data.

alter table organizations add column account_opening text not null default 'online'
  check (account_opening in ('online', 'file'));

create table bank_file_batches (
  id uuid primary key,
  jurisdiction text not null,
  bank_id uuid not null references organizations (id),
  status text not null check (status in ('open', 'exported', 'returned')),
  row_count integer not null check (row_count > 0),
  export_sha256 text,
  exported_at timestamptz,
  return_sha256 text unique,
  returned_at timestamptz,
  succeeded integer not null default 0,
  failed integer not null default 0,
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index bank_file_batches_bank_idx on bank_file_batches (bank_id, created_at);
create index bank_file_batches_jurisdiction_idx on bank_file_batches (jurisdiction, created_at);

create table bank_file_rows (
  batch_id uuid not null references bank_file_batches (id),
  seq integer not null,
  application_id uuid not null,
  card_no text not null,
  person_id uuid not null,
  branch_id uuid not null references organizations (id),
  result text not null default 'pending' check (result in ('pending', 'opened', 'refused')),
  -- The bank's reason for a refused row, as it wrote it (no personal data is expected there).
  refusal_reason text,
  primary key (batch_id, seq)
);
-- A card waits for its account in one request at a time; a refused row frees it for a later one.
create unique index bank_file_rows_live_card on bank_file_rows (card_no) where result <> 'refused';
create index bank_file_rows_application_idx on bank_file_rows (application_id);
