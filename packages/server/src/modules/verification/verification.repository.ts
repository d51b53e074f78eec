/**
 * The hot path's SQL: one named, prepared statement reads the terminal (by its credential's hash
 * or, for the verifier page, by id), its organisation and bank, the card and its holder, so a check
 * costs one round trip and nothing read can be stale. And the verification log, written in batches.
 */
import type { Database, PreparedQuery } from '../../db/database.js';
import type { CardRow } from '../cards/cards.repository.js';

/** What one check reads. Terminal columns always; card columns null for an unknown card. */
export interface CheckRow {
  terminal_id: string;
  terminal_label: string;
  terminal_status: 'active' | 'suspended' | 'retired';
  terminal_kind: string;
  rate_limit_per_second: number;
  organization_id: string;
  organization_kind: string;
  service_point_kind: string | null;
  organization_status: string;
  organization_name: string;
  bank_status: string | null;
  bank_name: string | null;
  card_no: string | null;
  person_id: string | null;
  holder_name: string | null;
  died_on: string | null;
  ssn_enc: string | null;
  // the card's own columns (CardRow's names), null when there is no such card
  [column: string]: unknown;
}

/** The card's columns the verdict reads (CardRow's names); the QR check reads these too. */
export const VERDICT_CARD_COLUMNS = [
  'jurisdiction',
  'kind',
  'status',
  'has_photo',
  'issued_at',
  'expires_on',
  'social_enabled_at',
  'financial_activated_at',
  'loss_kind',
  'loss_since',
  'loss_until',
  'suspended_at',
  'frozen_at',
  'pin_hash',
  'pin_failures',
  'pin_locked_at',
  'replacement_application_id',
  'ended_at',
  'end_reason',
  'bank_account_closed_at',
] as const;

/** The terminal, its organisation and bank, as every terminal check reads them (alias t, o, b). */
export const TERMINAL_COLUMNS = `t.id as terminal_id, t.label as terminal_label, t.status as terminal_status,
       t.kind as terminal_kind, t.rate_limit_per_second, t.jurisdiction as terminal_jurisdiction,
       o.id as organization_id, o.kind as organization_kind, o.service_point_kind,
       o.status as organization_status, o.name as organization_name,
       b.status as bank_status, b.name as bank_name`;
export const TERMINAL_FROM = `terminals t
  join organizations o on o.id = t.organization_id
  left join organizations b on b.id = o.bank_id and b.id <> o.id`;

export const cardColumns = (extra: readonly string[] = []): string =>
  [...VERDICT_CARD_COLUMNS, ...extra].map((c) => `c.${c}`).join(', ');

const CHECK = (terminalBy: string) => `
select ${TERMINAL_COLUMNS},
       c.card_no, ${cardColumns()},
       p.id as person_id, p.name as holder_name, p.died_on, p.ssn_enc
  from ${TERMINAL_FROM}
  left join cards c on c.card_no = $1
  left join persons p on p.id = c.person_id
 where ${terminalBy}`;

const BY_CREDENTIAL = CHECK('t.credential_hash = $2');
const BY_ID = CHECK('t.id = $2');

export interface LogEntry {
  cardNo: string;
  at: Date;
  terminalId: string;
  organizationId: string;
  jurisdiction: string | null;
  checkKind: 'card' | 'pin' | 'qr';
  fn: string;
  valid: boolean;
  reasons: string[];
}

const INSERT_LOG = `
insert into verification_log
  (card_no, at, terminal_id, organization_id, jurisdiction, check_kind, function, valid, reasons, batch_id)
select card_no, at, terminal_id, organization_id, jurisdiction, check_kind, function, valid,
       string_to_array(reasons, ','), $10::uuid
  from unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
              $7::text[], $8::boolean[], $9::text[])
    as x(card_no, at, terminal_id, organization_id, jurisdiction, check_kind, function, valid, reasons)`;

export interface CheckOfPerson {
  at: Date;
  card_no: string;
  check_kind: string;
  function: string;
  valid: boolean;
  reasons: string[];
  organization_name: string;
  service_point_kind: string | null;
  organization_kind: string;
}

export class VerificationRepository {
  constructor(
    private readonly db: Database,
    private readonly prepared: PreparedQuery,
  ) {}

  /** The terminal presenting this credential, and the card asked about (if it exists). */
  async byCredential(cardNo: string, credentialHash: Buffer): Promise<CheckRow | undefined> {
    const rows = await this.prepared<CheckRow>('verify_by_credential', BY_CREDENTIAL, [
      cardNo,
      credentialHash,
    ]);
    return rows[0];
  }

  /** The same for a named terminal (a service point's operator on the verifier page). */
  async byTerminalId(cardNo: string, terminalId: string): Promise<CheckRow | undefined> {
    const rows = await this.prepared<CheckRow>('verify_by_terminal_id', BY_ID, [
      cardNo,
      terminalId,
    ]);
    return rows[0];
  }

  /** One batch of log entries in one statement (arrays unnested: one plan for any batch size). */
  async insertLog(entries: readonly LogEntry[], batchId: string): Promise<void> {
    await this.prepared('verification_log_insert', INSERT_LOG, [
      entries.map((e) => e.cardNo),
      entries.map((e) => e.at),
      entries.map((e) => e.terminalId),
      entries.map((e) => e.organizationId),
      entries.map((e) => e.jurisdiction),
      entries.map((e) => e.checkKind),
      entries.map((e) => e.fn),
      entries.map((e) => e.valid),
      entries.map((e) => e.reasons.join(',')),
      batchId,
    ]);
  }

  /** Where a person's cards were checked, newest first (their access log). */
  async checksOfPerson(personId: string, limit: number): Promise<CheckOfPerson[]> {
    return this.db
      .selectFrom('verification_log as v')
      .innerJoin('cards as c', 'c.card_no', 'v.card_no')
      .innerJoin('organizations as o', 'o.id', 'v.organization_id')
      .where('c.person_id', '=', personId)
      .select([
        'v.at',
        'v.card_no',
        'v.check_kind',
        'v.function',
        'v.valid',
        'v.reasons',
        'o.name as organization_name',
        'o.service_point_kind',
        'o.kind as organization_kind',
      ])
      .orderBy('v.at', 'desc')
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute();
  }

  /** For tests and the crash check: how many entries a batch holds. */
  async countLog(where: { batchId?: string; terminalId?: string } = {}): Promise<number> {
    let q = this.db.selectFrom('verification_log').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where.batchId) q = q.where('batch_id', '=', where.batchId);
    if (where.terminalId) q = q.where('terminal_id', '=', where.terminalId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}

/** The card columns of a check row, as the cards module reads them. */
export function cardRowOf(row: CheckRow): CardRow {
  return row as unknown as CardRow;
}
