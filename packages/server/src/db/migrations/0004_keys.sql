-- 0004 keys: the blind-index key, kept apart from the data key so the data key can rotate
-- without re-indexing, and the data keys that may still hold values (docs/SECURITY.md, "Keys
-- and rotation"). Both are small reference tables under Citus.

-- Keys that live in the database sealed under the active data key (envelope encryption).
-- 'blind_index' is the HMAC key of every blind index (person_keys, phone_hmac, ...): created once,
-- never changed by a data-key rotation; `sscard keys rotate` re-seals it like any other value.
create table key_material (
  name text primary key,
  -- AES-256-GCM under a data key (key id inside), additional data `key_material.key:<name>`
  key_enc text not null,
  -- HMAC-SHA-256 of a fixed label under the key, 16 hex digits: names the key, reveals nothing
  check_value text not null,
  created_at timestamptz not null
);

-- Data keys (by the key id carried in each sealed value) under which values may still be sealed.
-- Start-up refuses to run unless every key here that is not retired is configured;
-- `sscard keys rotate` retires a key once it has found no value left under it.
create table data_keys (
  key_id text primary key check (key_id ~ '^[0-9a-f]{8}$'),
  added_at timestamptz not null,
  retired_at timestamptz
);
