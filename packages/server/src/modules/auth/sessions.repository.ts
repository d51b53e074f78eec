/** Sessions: one row per login, found by the SHA-256 of its bearer token. */
import type { DataScope } from '@sscard/domain';
import type { InferResult, Transaction } from 'kysely';
import type { Database, PreparedQuery } from '../../db/database.js';
import { pageOf } from '../../db/paging.js';
import type { DB } from '../../db/schema.js';
import { orgScopePredicate } from '../organizations/scope.js';

export interface SessionRow {
  sessionId: string;
  staffId: string;
  username: string;
  role: string;
  staffStatus: 'active' | 'disabled';
  organizationId: string | null;
  organizationKind: string | null;
  organizationStatus: string | null;
  organizationName: string | null;
  bankId: string | null;
  bankStatus: string | null;
  bankName: string | null;
  jurisdiction: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  secondFactor: boolean;
  /** FZ-37: the acts granted within the role (a JSON list), or null for the full role. */
  grantedPermissions: unknown;
}

/** A session as a list shows it. */
export interface ListedSession {
  id: string;
  staffId: string;
  username: string;
  role: string;
  organizationId: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  secondFactor: boolean;
}

/** A session with what deciding access to it needs: its account and that one's organisation. */
export interface SessionTarget {
  id: string;
  staffId: string;
  endedAt: Date | null;
  expiresAt: Date;
  organizationId: string | null;
  bankId: string | null;
  jurisdiction: string | null;
}

export interface OpenSessionsQuery {
  /** Only this account's sessions (one's own). */
  ownerId?: string | undefined;
  /** Only accounts of organisations in this scope (an administrator's). */
  scope?: DataScope | undefined;
  staffId?: string | undefined;
  now: Date;
  /** Sessions not seen since are timed out. */
  idleSince: Date;
  limit: number;
  offset: number;
}

/** The session of a token's hash with its account, organisation and bank (`findByTokenHash`). */
function byTokenHash(db: Database, tokenHash: Buffer) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('staff as st', 'st.id', 's.staff_id')
    .leftJoin('organizations as o', 'o.id', 'st.organization_id')
    .leftJoin('organizations as b', 'b.id', 'o.bank_id')
    .select([
      's.id as sessionId',
      'st.id as staffId',
      'st.username',
      'st.role',
      'st.status as staffStatus',
      'o.id as organizationId',
      'o.kind as organizationKind',
      'o.status as organizationStatus',
      'o.name as organizationName',
      'o.bank_id as bankId',
      'b.status as bankStatus',
      'b.name as bankName',
      'o.jurisdiction',
      's.created_at as createdAt',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      's.ended_at as endedAt',
      's.end_reason as endReason',
      's.second_factor as secondFactor',
      'st.permissions as grantedPermissions',
    ])
    .where('s.token_hash', '=', tokenHash);
}

export class SessionsRepository {
  /** The SQL of `findByTokenHash`, built once by Kysely and prepared once per connection. */
  private readonly byTokenHashSql: string;

  constructor(
    private readonly db: Database,
    private readonly prepared: PreparedQuery,
  ) {
    this.byTokenHashSql = byTokenHash(db, Buffer.alloc(0)).compile().sql;
  }

  async create(
    trx: Transaction<DB>,
    s: {
      id: string;
      tokenHash: Buffer;
      staffId: string;
      now: Date;
      expiresAt: Date;
      ip: string | null;
      secondFactor: boolean;
    },
  ): Promise<void> {
    await trx
      .insertInto('sessions')
      .values({
        id: s.id,
        token_hash: s.tokenHash,
        staff_id: s.staffId,
        created_at: s.now,
        last_seen_at: s.now,
        expires_at: s.expiresAt,
        ip: s.ip,
        second_factor: s.secondFactor,
      })
      .execute();
  }

  /**
   * A session by its token's hash, with its account, organisation and bank: read afresh on every
   * authenticated request (no cache: a suspension or a disabled account counts at once, on every
   * node), so it is one named statement, parsed and planned once per connection.
   */
  async findByTokenHash(tokenHash: Buffer): Promise<SessionRow | undefined> {
    const [row] = await this.prepared<InferResult<ReturnType<typeof byTokenHash>>[number]>(
      'session_by_token_hash',
      this.byTokenHashSql,
      [tokenHash],
    );
    return row;
  }

  /** Open sessions (not ended, not timed out) of active accounts, newest first. */
  async listOpen(f: OpenSessionsQuery): Promise<{ items: ListedSession[]; total: number }> {
    let q = this.db
      .selectFrom('sessions as s')
      .innerJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .where('s.ended_at', 'is', null)
      .where('s.expires_at', '>', f.now)
      .where('s.last_seen_at', '>=', f.idleSince)
      .where('st.status', '=', 'active');
    if (f.ownerId !== undefined) q = q.where('s.staff_id', '=', f.ownerId);
    if (f.scope && f.scope.kind !== 'all') q = q.where(orgScopePredicate(f.scope, 'o'));
    if (f.staffId) q = q.where('s.staff_id', '=', f.staffId);
    const { items, total } = await pageOf(
      q,
      (p) =>
        p
          .select([
            's.id',
            's.staff_id as staffId',
            'st.username',
            'st.role',
            'st.organization_id as organizationId',
            's.created_at as createdAt',
            's.last_seen_at as lastSeenAt',
            's.expires_at as expiresAt',
            's.ip',
            's.second_factor as secondFactor',
          ])
          .orderBy('s.created_at', 'desc')
          .orderBy('s.id'),
      { limit: f.limit, offset: f.offset },
    );
    return { items, total };
  }

  /** The account a session belongs to (it never changes), or undefined. */
  async ownerOf(sessionId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .select('staff_id')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return row?.staff_id;
  }

  /** A session with its account's organisation, locked inside an act. */
  findTarget(
    sessionId: string,
    db: Database | Transaction<DB>,
    lock = false,
  ): Promise<SessionTarget | undefined> {
    let q = db
      .selectFrom('sessions as s')
      .innerJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .select([
        's.id',
        's.staff_id as staffId',
        's.ended_at as endedAt',
        's.expires_at as expiresAt',
        'o.id as organizationId',
        'o.bank_id as bankId',
        'o.jurisdiction',
      ])
      .where('s.id', '=', sessionId);
    if (lock) q = q.forUpdate('s');
    return q.executeTakeFirst();
  }

  async touch(sessionId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', sessionId)
      .execute();
  }

  async end(
    db: Database | Transaction<DB>,
    sessionId: string,
    now: Date,
    reason: string,
  ): Promise<void> {
    await db
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: reason })
      .where('id', '=', sessionId)
      .where('ended_at', 'is', null)
      .execute();
  }

  /**
   * Ends every open session of an account (disabled, password changed, …), except `keep` (the
   * session that made the change); returns how many.
   */
  async endAllForStaff(
    trx: Transaction<DB>,
    staffId: string,
    now: Date,
    reason: string,
    keep?: string | null,
  ): Promise<number> {
    let q = trx
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: reason })
      .where('staff_id', '=', staffId)
      .where('ended_at', 'is', null);
    if (keep) q = q.where('id', '<>', keep);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Ends every open session of the staff of these organisations (an access suspension). */
  async endAllForOrganizations(
    trx: Transaction<DB>,
    organizationIds: string[],
    now: Date,
    reason: string,
  ): Promise<number> {
    if (!organizationIds.length) return 0;
    const result = await trx
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: reason })
      .where('ended_at', 'is', null)
      .where('staff_id', 'in', (eb) =>
        eb.selectFrom('staff').select('id').where('organization_id', 'in', organizationIds),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
