/**
 * Holders online: one-time code challenges, holder sessions and family links. Only blind indexes
 * (HMAC under the keyring's index key) of what was typed and of the codes are stored; the
 * person's data stays in `persons`.
 */
import { sql } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../db/transact.js';

type Executor = Database | Trx;

export interface Challenge {
  id: string;
  purpose: 'sign_in' | 'ward_consent';
  personId: string | null;
  requestedBy: string | null;
  relation: string | null;
  codeHmac: Buffer | null;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
}

export interface HolderSession {
  sessionId: string;
  personId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  diedOn: string | null;
  wards: string[];
}

export interface WardLink {
  personId: string;
  name: string;
  relation: string;
  proof: string;
  addedAt: Date;
}

export class HoldersRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  /** The blind index of what was typed: a document number and a phone, or a consent request. */
  subjectKey(parts: readonly string[]): Buffer {
    return this.keyring.blindIndex('holder_subject', parts.join('|'));
  }

  codeKey(challengeId: string, code: string): Buffer {
    return this.keyring.blindIndex('holder_code', `${challengeId}:${code}`);
  }

  async countSince(
    trx: Trx,
    by: { subject: Buffer } | { ip: string },
    since: Date,
  ): Promise<{ count: number; oldest: Date | null }> {
    let q = trx
      .selectFrom('holder_challenges')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('created_at', '>=', since);
    q = 'subject' in by ? q.where('subject_hmac', '=', by.subject) : q.where('ip', '=', by.ip);
    const row = await q.executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: (row.oldest as Date | null) ?? null };
  }

  /** Serialises code requests for one subject, so the throttle counts concurrent ones too. */
  async lockSubject(trx: Trx, subject: Buffer): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${subject.toString('hex')}, 13))`.execute(
      trx,
    );
  }

  async insertChallenge(
    trx: Trx,
    c: {
      id: string;
      purpose: Challenge['purpose'];
      subject: Buffer;
      personId: string | null;
      requestedBy?: string | null;
      relation?: string | null;
      codeHmac: Buffer | null;
      createdAt: Date;
      expiresAt: Date;
      ip: string | null;
    },
  ): Promise<void> {
    await trx
      .insertInto('holder_challenges')
      .values({
        id: c.id,
        purpose: c.purpose,
        subject_hmac: c.subject,
        person_id: c.personId,
        requested_by: c.requestedBy ?? null,
        relation: c.relation ?? null,
        code_hmac: c.codeHmac,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        ip: c.ip,
      })
      .execute();
  }

  async lockChallenge(trx: Trx, id: string): Promise<Challenge | undefined> {
    const r = await trx
      .selectFrom('holder_challenges')
      .select([
        'id',
        'purpose',
        'person_id',
        'requested_by',
        'relation',
        'code_hmac',
        'attempts',
        'expires_at',
        'consumed_at',
      ])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      purpose: r.purpose,
      personId: r.person_id,
      requestedBy: r.requested_by,
      relation: r.relation,
      codeHmac: r.code_hmac,
      attempts: r.attempts,
      expiresAt: r.expires_at,
      consumedAt: r.consumed_at,
    };
  }

  async countAttempt(trx: Trx, id: string): Promise<void> {
    await trx
      .updateTable('holder_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async consume(trx: Trx, id: string, at: Date): Promise<void> {
    await trx
      .updateTable('holder_challenges')
      .set({ consumed_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** Challenges older than `before` count nothing any more (the daily housekeeping). */
  async pruneChallenges(trx: Trx, before: Date): Promise<number> {
    const r = await trx
      .deleteFrom('holder_challenges')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // ---- sessions ---------------------------------------------------------------------------------

  async createSession(
    trx: Trx,
    s: {
      id: string;
      personId: string;
      tokenHash: Buffer;
      at: Date;
      expiresAt: Date;
      ip: string | null;
    },
  ): Promise<void> {
    await trx
      .insertInto('holder_sessions')
      .values({
        id: s.id,
        person_id: s.personId,
        token_hash: s.tokenHash,
        created_at: s.at,
        last_seen_at: s.at,
        expires_at: s.expiresAt,
        ip: s.ip,
      })
      .execute();
  }

  /** The session with its holder's family links, in one statement. */
  async findSession(tokenHash: Buffer, db: Executor = this.db): Promise<HolderSession | undefined> {
    const r = await db
      .selectFrom('holder_sessions as s')
      .innerJoin('persons as p', 'p.id', 's.person_id')
      .select([
        's.id',
        's.person_id',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        's.ended_at',
        'p.died_on',
        sql<string[] | null>`(select array_agg(w.ward_person_id::text) from holder_wards w
          where w.holder_person_id = s.person_id and w.removed_at is null)`.as('wards'),
      ])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      sessionId: r.id,
      personId: r.person_id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      endedAt: r.ended_at,
      diedOn: r.died_on,
      wards: r.wards ?? [],
    };
  }

  async lockSession(trx: Trx, id: string): Promise<{ id: string; personId: string } | undefined> {
    const r = await trx
      .selectFrom('holder_sessions')
      .select(['id', 'person_id'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return r ? { id: r.id, personId: r.person_id } : undefined;
  }

  async touchSession(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('holder_sessions')
      .set({ last_seen_at: at })
      .where('id', '=', id)
      .execute();
  }

  async endSession(db: Executor, id: string, at: Date, reason: string): Promise<void> {
    await db
      .updateTable('holder_sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }

  // ---- family links (亲情服务) -------------------------------------------------------------------

  async wards(holderPersonId: string, db: Executor = this.db): Promise<WardLink[]> {
    const rows = await db
      .selectFrom('holder_wards as w')
      .innerJoin('persons as p', 'p.id', 'w.ward_person_id')
      .select(['w.ward_person_id', 'p.name', 'w.relation', 'w.proof', 'w.added_at'])
      .where('w.holder_person_id', '=', holderPersonId)
      .where('w.removed_at', 'is', null)
      .orderBy('w.added_at')
      .execute();
    return rows.map((r) => ({
      personId: r.ward_person_id,
      name: r.name,
      relation: r.relation,
      proof: r.proof,
      addedAt: r.added_at,
    }));
  }

  async addWard(
    trx: Trx,
    w: {
      id: string;
      holderPersonId: string;
      wardPersonId: string;
      relation: string;
      proof: 'recorded_guardian' | 'consent_code';
      at: Date;
    },
  ): Promise<void> {
    await trx
      .insertInto('holder_wards')
      .values({
        id: w.id,
        holder_person_id: w.holderPersonId,
        ward_person_id: w.wardPersonId,
        relation: w.relation,
        proof: w.proof,
        added_at: w.at,
      })
      .execute();
  }

  async removeWard(
    trx: Trx,
    holderPersonId: string,
    wardPersonId: string,
    at: Date,
  ): Promise<boolean> {
    const r = await trx
      .updateTable('holder_wards')
      .set({ removed_at: at })
      .where('holder_person_id', '=', holderPersonId)
      .where('ward_person_id', '=', wardPersonId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
