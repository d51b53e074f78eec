-- 0008 one act step: presences (a counter serving the holder in front of it), staff activation
-- (no administrator chooses or sees another account's password), login throttling for names that
-- are not accounts (so a lock does not tell which names exist), pruning of saved answers.
-- Citus plan: presences distribute by person_id (colocated with persons); login_throttle and
-- staff_activations are small reference-like tables keyed by their own ids.

create table presences (
  organization_id uuid not null references organizations (id),
  person_id uuid not null references persons (id),
  staff_id uuid references staff (id),
  opened_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (person_id, organization_id)
);
create index presences_expires_idx on presences (expires_at);

-- An account is created without a password; its holder sets one with a one-time activation
-- ticket (only its SHA-256 is kept) before the ticket expires.
alter table staff alter column password_hash drop not null;
alter table staff add column activation_hash bytea;
alter table staff add column activation_expires_at timestamptz;
create unique index staff_activation_idx on staff (activation_hash) where activation_hash is not null;

-- Failures against names that are not accounts count like failures against accounts do.
create table login_throttle (
  name_hmac bytea primary key,
  failures integer not null default 0,
  locked_until timestamptz,
  updated_at timestamptz not null
);

create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- Staff acts are recorded by the act step; relations created as a side effect of serving a holder
-- ('applied', 'served', 'card_branch') no longer give standing: only registration does.
delete from person_orgs where relation <> 'registered';
