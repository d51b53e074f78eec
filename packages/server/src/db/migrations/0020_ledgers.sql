-- 0020 ledgers, registers and devices (issue 14 items 4 and 5).
-- The daily branch ledger and the monthly bank ledger (FZ-27) and the inventory ledger of
-- unissued cards (ZS-17) are computed from cards and applications on read (modules/ledgers);
-- only their filings are kept here. The destruction register (FZ-36, HN-25) records who
-- destroyed which cards, when, before which witness, in which batch: waste cards that never
-- became cards in the system (a vendor's spoiled blanks) are recorded by number alone.

-- Who filed which ledger when (FZ-27: the monthly ledger is due the working day before month end).
create table ledger_filings (
  id uuid primary key,
  kind text not null check (kind in ('branch_daily', 'bank_monthly')),
  -- the branch (daily) or the bank (monthly) whose ledger it is
  organization_id uuid not null references organizations (id),
  jurisdiction char(6) not null,
  -- 'YYYY-MM-DD' for a daily ledger, 'YYYY-MM' for a monthly one
  period text not null,
  due_on date,
  late boolean not null default false,
  row_count integer not null check (row_count >= 0),
  -- SHA-256 of the ledger's CSV as filed, so the copy handed in can be matched later
  sha256 text not null,
  filed_by uuid,
  filed_by_name text not null,
  filed_at timestamptz not null
);
create index ledger_filings_org_idx on ledger_filings (organization_id, kind, period);

create table destruction_records (
  id uuid primary key,
  jurisdiction char(6) not null,
  -- where the cards were destroyed (the bank or branch, or the centre)
  organization_id uuid not null references organizations (id),
  category text not null check (category in ('recalled', 'returned', 'waste')),
  batch text,
  witness text not null,
  destroyed_at timestamptz not null,
  recorded_by uuid,
  recorded_by_name text not null,
  recorded_at timestamptz not null,
  note text,
  card_count integer not null check (card_count > 0)
);
create index destruction_records_org_idx on destruction_records (organization_id, destroyed_at);

-- A card number is destroyed once; `known`: the number is a card of this platform.
create table destruction_record_cards (
  card_no text primary key,
  record_id uuid not null references destruction_records (id),
  known boolean not null
);
create index destruction_record_cards_record_idx on destruction_record_cards (record_id);

-- Devices (ZS-18, FZ-12: 小型卡面打印设备、制卡机): card printers, and the serial number filed.
alter table terminals drop constraint terminals_kind_check;
alter table terminals add constraint terminals_kind_check
  check (kind in ('card_reader', 'pos', 'gate', 'kiosk', 'issuing_terminal', 'card_printer'));
alter table terminals add column serial_number text;
