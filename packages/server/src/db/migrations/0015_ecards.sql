-- The electronic card (电子社保卡, issue 13): one per physical card (HN-4 一一对应, HN-13), its
-- payment PIN apart from the bank's (HN-14), the Ed25519 keys that sign its QR codes, and the codes
-- already used (a code is accepted once across the installation). See docs/ECARD.md.

-- No status column: whether an e-card works is the physical card's live state, read at every use
-- (HN-13: 状态相同). `person_id` for Citus, beside the card it belongs to.
create table ecards (
  id uuid primary key,
  card_no text not null references cards (card_no),
  person_id uuid not null references persons (id),
  jurisdiction char(6) not null,
  issued_at timestamptz not null,
  -- HN-14: scrypt, like every other secret the platform keeps; never the bank PIN
  pin_hash text,
  pin_set_at timestamptz,
  pin_failures integer not null default 0,
  pin_locked_at timestamptz,
  updated_at timestamptz not null
);
create unique index ecards_card_idx on ecards (card_no);
create index ecards_person_idx on ecards (person_id);

-- The signing keys. `kid`: 8 hex digits (the first 4 bytes of SHA-256 of the raw public key), also
-- in every code. The private key is sealed with the platform keyring (text form, AAD
-- `ecard_signing_keys.private_key:{kid}`) and dropped when the key retires; the public key stays
-- until every code it signed has expired (retired_at + the QR lifetime), then may be pruned.
create table ecard_signing_keys (
  kid text primary key,
  public_key bytea not null,
  private_key_enc text,
  created_at timestamptz not null,
  retired_at timestamptz
);
-- At most one key signs.
create unique index ecard_signing_keys_active_idx on ecard_signing_keys ((true))
  where retired_at is null;

-- Codes already presented: the jti is the primary key, so two checks of one code on two nodes
-- cannot both insert it. Rows past their code's expiry are useless and pruned daily.
create table ecard_qr_used (
  jti bytea primary key,
  expires_at timestamptz not null,
  used_at timestamptz not null
);
create index ecard_qr_used_expires_idx on ecard_qr_used (expires_at);

-- A QR check is logged with the card checks.
alter table verification_log drop constraint if exists verification_log_check_kind_check;
alter table verification_log
  add constraint verification_log_check_kind_check check (check_kind in ('card', 'pin', 'qr'));
