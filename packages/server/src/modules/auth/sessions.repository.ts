/** Sessions: one row per login, found by the SHA-256 of its bearer token. */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export interface SessionRow {
  sessionId: string;
  staffId: string;
  username: string;
  role: string;
  staffStatus: 'active' | 'disabled';
  organizationId: string | null;
  organizationKind: string | null;
  organizationStatus: string | null;
  bankId: string | null;
  bankStatus: string | null;
  jurisdiction: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export class SessionsRepository {
  constructor(private readonly db: Database) {}

  async create(
    trx: Transaction<DB>,
    s: {
      id: string;
      tokenHash: Buffer;
      staffId: string;
      now: Date;
      expiresAt: Date;
      ip: string | null;
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
      })
      .execute();
  }

  findByTokenHash(tokenHash: Buffer): Promise<SessionRow | undefined> {
    return this.db
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
        'o.bank_id as bankId',
        'b.status as bankStatus',
        'o.jurisdiction',
        's.created_at as createdAt',
        's.last_seen_at as lastSeenAt',
        's.expires_at as expiresAt',
        's.ended_at as endedAt',
      ])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
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

  /** Ends every open session of an account (disabled, password changed, …); returns how many. */
  async endAllForStaff(
    trx: Transaction<DB>,
    staffId: string,
    now: Date,
    reason: string,
  ): Promise<number> {
    const result = await trx
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: reason })
      .where('staff_id', '=', staffId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
