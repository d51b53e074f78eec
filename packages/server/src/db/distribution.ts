/**
 * The Citus plan as data (docs/SCALING.md): every table of the schema is classified as
 *
 * - `distributed`: sharded by a column, in a co-location group (tables of one group keep the rows
 *   of one key value on the same node, so joins and foreign keys between them stay on one node);
 *   every primary key and unique constraint or index includes that column;
 * - `reference`: a small or configuration table copied to every node (joins with it are local);
 * - `local`: stays on the coordinator, with the reason; foreign keys from a local table may point
 *   only to local or reference tables, and no distributed or reference table may point to it.
 *
 * `distribution.test.ts` reads the catalogue after every migration and fails when a table is not
 * classified here (a new migration's table must be), when a distributed table has a key that
 * does not include its column, or when a foreign key crosses groups. Tables the plan wants
 * distributed but whose keys do not fit yet are `local` with `target` saying where they go and
 * what must change first (docs/SCALING.md, "Open work").
 *
 * `citusStatements()` gives the statements that turn a migrated PostgreSQL database into a Citus
 * one (`sscard db citus-plan`): reference tables first, in foreign-key order, then each group.
 */

export type Placement =
  | {
      kind: 'distributed';
      column: string;
      /** Tables of one group are co-located; the first of a group in the plan is its anchor. */
      group: string;
      reason: string;
    }
  | {
      kind: 'reference';
      /** The most rows a province of 50 million holders would have: reference tables stay small. */
      maxRows: number;
      reason: string;
    }
  | {
      kind: 'local';
      reason: string;
      /** Where the table should go once its keys allow it, and what must change first. */
      target?: string;
    };

const dist = (column: string, group: string, reason: string): Placement => ({
  kind: 'distributed',
  column,
  group,
  reason,
});
const ref = (maxRows: number, reason: string): Placement => ({
  kind: 'reference',
  maxRows,
  reason,
});
const local = (reason: string, target?: string): Placement => ({
  kind: 'local',
  reason,
  ...(target ? { target } : {}),
});

/** Open work shared by the person group: its keys are `id` alone today. */
const PERSON_GROUP =
  'distributed by person_id, co-located with persons, once its primary key includes person_id ' +
  'and the foreign keys that point at it carry person_id (SCALING.md, "Open work": the person group)';
const LOCAL_WITH_PERSONS =
  'references persons, which stays on the coordinator until the person group is re-keyed';

/**
 * The plan, by table. The order matters only within a group (its first table is the anchor) and
 * for readability; statements are ordered by the foreign keys.
 */
export const DISTRIBUTION_PLAN: Readonly<Record<string, Placement>> = {
  // ---- distributed now: the append-heavy logs and per-key counters -------------------------
  audit_log: dist(
    'shard',
    'audit',
    'the largest table (every act); each chain (shard) is appended and walked on one node',
  ),
  audit_heads: dist('shard', 'audit', 'one row per chain, beside its chain'),
  verification_log: dist(
    'card_no',
    'card_no',
    'every card and QR check writes a row; read by card (a holder’s access log)',
  ),
  deny_list: dist(
    'card_no',
    'card_no',
    'the offline deny-list, one row per blocked card, beside that card’s checks',
  ),
  ecard_qr_used: dist(
    'jti',
    'jti',
    'one row per QR code accepted (its jti is the primary key: accepted once across all nodes)',
  ),
  idempotency_keys: dist(
    'actor_key',
    'actor_key',
    'one row per retried request, looked up by actor and key; pruned by housekeeping',
  ),
  rate_limits: dist('key_hash', 'key_hash', 'per-client counters, read and written by key'),
  login_throttle: dist('name_hmac', 'name_hmac', 'per-account login counters, by key'),

  // ---- reference: configuration and the organisation tree ----------------------------------
  organizations: ref(
    200_000,
    'the organisation tree (centres, banks, branches, outlets, vendors, units): every scope joins it',
  ),
  staff: ref(
    500_000,
    'staff accounts: every session, presence and permission request refers to them',
  ),
  terminals: ref(200_000, 'registered terminals: read by every card check, changed rarely'),
  system_settings: ref(1_000, 'settings and the manual clock'),
  data_keys: ref(100, 'data key ids and their state'),
  key_material: ref(100, 'the sealed blind-index key'),
  ecard_signing_keys: ref(1_000, 'QR signing keys, read by every QR check'),
  deny_list_state: ref(10, 'the deny-list’s build state'),
  alerts: ref(100_000, 'operational alerts'),
  job_runs: ref(100_000, 'daily job claims (one row per job and day)'),
  schema_migrations: ref(1_000, 'applied migrations'),

  // ---- local on the coordinator: counters and small operational tables ----------------------
  card_serials: local(
    'one counter row per jurisdiction and kind, updated by every card number issued: one place, no replicated write',
  ),
  ssn_sequences: local('one counter row per prefix, updated by every SSN issued: one place'),
  sessions: local(
    'staff sessions, found by token hash; a few thousand live rows',
    'distributed by token_hash once the primary key is the token hash instead of id',
  ),
  staff_otp_used: local('one row per second-factor code used; small, pruned'),
  otp_enrolments: local('pending second-factor enrolments; a handful'),
  permission_requests: local('staff permission requests; small'),
  queue_jobs: local(
    'the background queue: claimed with SKIP LOCKED across all jurisdictions by any runner',
    'distributed by jurisdiction once the primary key is (jurisdiction, id) (0016’s note)',
  ),
  destruction_records: local('card destruction records: a few per branch and month'),
  destruction_record_cards: local('the cards of a destruction record'),
  production_batches: local('production batches sent to vendors: a few per day'),
  production_batch_items: local(
    'the cards of a batch; unique by card_no across batches',
    'distributed by card_no once the batch key is not the primary key',
  ),
  bank_file_batches: local('bank files exchanged: a few per day'),
  bank_file_rows: local(
    'the rows of a bank file; unique by card_no across files',
    'distributed by card_no once the batch key is not the primary key',
  ),
  return_files: local('return files received: a few per day'),
  ledger_filings: local('ledger filings: a few per organisation and period'),
  referrals: local('hotline referrals: small'),

  // ---- local until the person group is re-keyed (SCALING.md, "Open work") -------------------
  persons: local(
    'the holders (50 million rows): one PostgreSQL holds them; referenced by id alone from every person table',
    'distributed by id, the anchor of the person group, once every table that references it is in that group',
  ),
  person_keys: local(
    'blind indexes that make documents and SSNs unique (primary key (key_kind, key_hmac))',
    'distributed by key_hmac in a group of its own, without the foreign key to persons (checked by the act instead)',
  ),
  person_orgs: local(LOCAL_WITH_PERSONS, 'distributed by person_id (its keys already fit)'),
  presences: local(LOCAL_WITH_PERSONS, 'distributed by person_id (its keys already fit)'),
  photos: local(`${LOCAL_WITH_PERSONS}; primary key id`, PERSON_GROUP),
  applications: local(`${LOCAL_WITH_PERSONS}; primary key id`, PERSON_GROUP),
  application_checks: local(
    'keyed by application id; no person_id column',
    `${PERSON_GROUP}; needs a person_id column`,
  ),
  cards: local(
    `${LOCAL_WITH_PERSONS}; primary key card_no, which every card and QR check looks up`,
    'distributed by person_id with a card_no → person_id lookup table distributed by card_no, or by card_no with the person foreign key dropped',
  ),
  ecards: local(`${LOCAL_WITH_PERSONS}; primary key id, unique card_no`, PERSON_GROUP),
  holder_sessions: local(
    `${LOCAL_WITH_PERSONS}; unique token_hash`,
    'distributed by token_hash once the primary key is the token hash',
  ),
  holder_challenges: local(`${LOCAL_WITH_PERSONS}; primary key id`, PERSON_GROUP),
  holder_wards: local(`${LOCAL_WITH_PERSONS}; primary key id`, PERSON_GROUP),
  notifications: local(
    `${LOCAL_WITH_PERSONS}; unique dedupe_key`,
    'distributed by jurisdiction once the keys are (jurisdiction, id) and (jurisdiction, dedupe_key) (0016’s note)',
  ),
  rosters: local('employer roster uploads: a few per unit and month'),
  roster_files: local('the uploaded files of rosters'),
  roster_rows: local(
    `${LOCAL_WITH_PERSONS} and applications`,
    'distributed by roster_id once the person and application foreign keys are dropped or co-located',
  ),
};

export interface ForeignKeyInfo {
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

/** Reference tables in an order where every table comes after those it references. */
export function referenceOrder(foreignKeys: ForeignKeyInfo[]): string[] {
  const refs = Object.entries(DISTRIBUTION_PLAN)
    .filter(([, p]) => p.kind === 'reference')
    .map(([t]) => t);
  const done: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (done.includes(t)) return;
    if (path.includes(t)) return; // a self-reference (organizations.parent_id)
    for (const fk of foreignKeys)
      if (fk.table === t && fk.references !== t && refs.includes(fk.references))
        visit(fk.references, [...path, t]);
    done.push(t);
  };
  for (const t of refs) visit(t, []);
  return done;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The statements that distribute a migrated database on Citus (run once, on the coordinator,
 * after `create extension citus` and adding the workers). Local tables need no statement: Citus
 * (10.2 and later) adds a local table that has a foreign key to a reference table to the
 * coordinator's metadata by itself, and it stays on the coordinator.
 */
export function citusStatements(foreignKeys: ForeignKeyInfo[] = []): string[] {
  const out: string[] = [];
  for (const t of referenceOrder(foreignKeys))
    out.push(`select create_reference_table(${literal(t)});`);
  const anchors = new Map<string, string>();
  for (const [table, p] of Object.entries(DISTRIBUTION_PLAN)) {
    if (p.kind !== 'distributed') continue;
    const anchor = anchors.get(p.group);
    if (!anchor) anchors.set(p.group, table);
    out.push(
      `select create_distributed_table(${literal(table)}, ${literal(p.column)}` +
        (anchor ? `, colocate_with => ${literal(anchor)}` : `, colocate_with => 'none'`) +
        ');',
    );
  }
  return out;
}
