-- 0018 vendor production batches (issue 14 item 3; FZ-20, FZ-22): approved applications whose
-- card is in production are grouped per card vendor and bank into batches; the personalisation
-- file is exported to the vendor, and the vendor's return file says, per card, made or failed.
-- A card is in at most one batch that has not failed it (a failed card goes into a later batch,
-- or becomes undeliverable, as the pack's production.failedCards says).

create table production_batches (
  id uuid primary key,
  jurisdiction text not null,
  vendor_id uuid not null references organizations (id),
  bank_id uuid not null references organizations (id),
  status text not null check (status in ('open', 'exported', 'returned')),
  card_count integer not null check (card_count > 0),
  export_sha256 text,
  exported_at timestamptz,
  -- sha256 of the whole return file imported for this batch: a file is imported once.
  return_sha256 text unique,
  returned_at timestamptz,
  succeeded integer not null default 0,
  failed integer not null default 0,
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index production_batches_jurisdiction_idx on production_batches (jurisdiction, created_at);
create index production_batches_vendor_idx on production_batches (vendor_id, created_at);

create table production_batch_items (
  batch_id uuid not null references production_batches (id),
  seq integer not null,
  application_id uuid not null,
  card_no text not null,
  person_id uuid not null,
  branch_id uuid not null references organizations (id),
  result text not null default 'pending' check (result in ('pending', 'succeeded', 'failed')),
  failure_reason text,
  failure_action text check (failure_action in ('reproduce', 'undeliverable')),
  primary key (batch_id, seq)
);
-- A card is pending or made in one batch only; failed items free it for a later batch.
create unique index production_items_live_card on production_batch_items (card_no)
  where result <> 'failed';
create index production_items_application_idx on production_batch_items (application_id);

-- A return file as uploaded (vendor's or bank's), sealed (a bank return holds ID and account
-- numbers), until the queued import has read it. One file is imported once: its sha256 is unique.
create table return_files (
  id uuid primary key,
  kind text not null check (kind in ('vendor', 'bank')),
  batch_id uuid not null,
  sha256 text not null,
  content_enc text not null,
  status text not null check (status in ('stored', 'imported')),
  result jsonb,
  created_by text not null,
  created_at timestamptz not null,
  imported_at timestamptz,
  unique (kind, sha256)
);
create index return_files_batch_idx on return_files (batch_id);
