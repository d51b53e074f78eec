/**
 * Staff accounts and their credentials: the `staff` rows, the one-time codes used
 * (`staff_otp_used`) and second-factor enrolments in progress (`otp_enrolments`). Second-factor
 * secrets and phones are sealed and opened here and nowhere else. Inside an act, rows are read
 * with `lock` (SELECT … FOR UPDATE of the staff row), so two acts on one account queue.
 */
import type { DataScope } from '@sscard/domain';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import { pageOf } from '../../db/paging.js';
import type { OrganizationsTable, OtpEnrolmentsTable, StaffTable } from '../../db/schema.js';
import type { Trx } from '../../db/transact.js';
import { enrolmentSecretAad, staffPhoneAad, timeStepOf, totpSecretAad } from '../auth/otp.js';
import { orgScopePredicate } from '../organizations/scope.js';

export type StaffRow = Selectable<StaffTable>;
export type EnrolmentRow = Selectable<OtpEnrolmentsTable>;

/** A staff row with what authentication needs of its organisation and that one's bank. */
export type StaffForAuth = StaffRow & {
  organization_kind: string | null;
  bank_id: string | null;
  jurisdiction: string | null;
  organization_status: string | null;
  organization_name: string | null;
  bank_status: string | null;
  bank_name: string | null;
};

export interface StaffFilter {
  organizationId?: string | undefined;
  role?: string | undefined;
  limit: number;
  offset: number;
}

type Executor = Database | Trx;

/** Used-code rows older than this many steps can go: those codes are refused by time anyway. */
const USED_CODE_RETENTION_STEPS = 10;

export class StaffRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  findById(id: string, db: Executor = this.db, lock = false): Promise<StaffRow | undefined> {
    let q = db.selectFrom('staff').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  findByUsername(username: string, db: Executor = this.db): Promise<StaffRow | undefined> {
    return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** The account with its organisation and bank (status, kind, jurisdiction). */
  findForAuth(
    by: 'id' | 'username',
    value: string,
    db: Executor = this.db,
    lock = false,
  ): Promise<StaffForAuth | undefined> {
    let q = db
      .selectFrom('staff as st')
      .leftJoin('organizations as o', 'o.id', 'st.organization_id')
      .leftJoin('organizations as b', 'b.id', 'o.bank_id')
      .selectAll('st')
      .select([
        'o.kind as organization_kind',
        'o.bank_id',
        'o.jurisdiction',
        'o.status as organization_status',
        'o.name as organization_name',
        'b.status as bank_status',
        'b.name as bank_name',
      ])
      .where(by === 'id' ? 'st.id' : 'st.username', '=', value);
    if (lock) q = q.forUpdate('st');
    return q.executeTakeFirst();
  }

  async list(scope: DataScope, f: StaffFilter): Promise<{ items: StaffRow[]; total: number }> {
    let q = this.db
      .selectFrom('staff as s')
      .leftJoin('organizations as o', 'o.id', 's.organization_id');
    if (scope.kind !== 'all') q = q.where(orgScopePredicate(scope, 'o'));
    if (f.organizationId) q = q.where('s.organization_id', '=', f.organizationId);
    if (f.role) q = q.where('s.role', '=', f.role);
    const { items, total } = await pageOf(
      q,
      (p) => p.selectAll('s').orderBy('s.created_at').orderBy('s.id'),
      f,
    );
    return { items, total };
  }

  async insert(trx: Trx, row: Insertable<StaffTable>): Promise<StaffRow> {
    return trx.insertInto('staff').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(trx: Trx, id: string, set: Updateable<StaffTable>): Promise<StaffRow> {
    return trx
      .updateTable('staff')
      .set(set)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Disables an account if it is still active; false if it was not. */
  async disableIfActive(
    trx: Trx,
    id: string,
    now: Date,
    reason: 'admin' | 'inactive',
  ): Promise<boolean> {
    const res = await trx
      .updateTable('staff')
      .set({ status: 'disabled', disabled_at: now, disabled_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * Active accounts in the scope last used (created, logged in, re-enabled) before `cutoff`,
   * except the exempt roles; locked for the sweep.
   */
  stale(trx: Trx, scope: DataScope, cutoff: Date, exemptRoles: readonly string[]) {
    let q = trx
      .selectFrom('staff as s')
      .leftJoin('organizations as o', 'o.id', 's.organization_id')
      .select(['s.id', 's.username', 's.created_at', 's.last_login_at', 's.reactivated_at'])
      .where('s.status', '=', 'active')
      .where(sql<boolean>`greatest(s.created_at, s.last_login_at, s.reactivated_at) < ${cutoff}`);
    if (exemptRoles.length) q = q.where('s.role', 'not in', [...exemptRoles]);
    if (scope.kind !== 'all') q = q.where(orgScopePredicate(scope, 'o'));
    return q.orderBy('s.username').forUpdate('s').execute();
  }

  /** The organisation an account is created in, by id or by code (the operator types codes). */
  findOrganization(
    ref: string,
    db: Executor = this.db,
  ): Promise<Selectable<OrganizationsTable> | undefined> {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    return db
      .selectFrom('organizations')
      .selectAll()
      .where(byId ? 'id' : 'code', '=', ref)
      .executeTakeFirst();
  }

  // ---- sealed values -----------------------------------------------------------------------------

  /** The account's second-factor secret, opened; null when none is enrolled. */
  totpSecret(row: Pick<StaffRow, 'id' | 'totp_secret_enc'>): string | null {
    return row.totp_secret_enc
      ? this.keyring.decrypt(row.totp_secret_enc, totpSecretAad(row.id))
      : null;
  }

  async setTotpSecret(trx: Trx, id: string, secret: string | null, now: Date): Promise<StaffRow> {
    return this.update(trx, id, {
      totp_secret_enc: secret === null ? null : this.keyring.encrypt(secret, totpSecretAad(id)),
      totp_enrolled_at: secret === null ? null : now,
    });
  }

  /** The account's phone, opened; null when none is set. */
  phone(row: Pick<StaffRow, 'id' | 'phone_enc'>): string | null {
    return row.phone_enc ? this.keyring.decrypt(row.phone_enc, staffPhoneAad(row.id)) : null;
  }

  async setPhone(trx: Trx, id: string, phone: string | null): Promise<StaffRow> {
    return this.update(trx, id, {
      phone_enc: phone === null ? null : this.keyring.encrypt(phone, staffPhoneAad(id)),
    });
  }

  // ---- one-time codes ------------------------------------------------------------------------------

  /** Records a code's time step as used; false if it already was (a replay). */
  async useCode(trx: Trx, staffId: string, step: number, now: Date): Promise<boolean> {
    const inserted = await trx
      .insertInto('staff_otp_used')
      .values({ staff_id: staffId, time_step: step, used_at: now })
      .onConflict((oc) => oc.columns(['staff_id', 'time_step']).doNothing())
      .returning('time_step')
      .executeTakeFirst();
    await trx
      .deleteFrom('staff_otp_used')
      .where('staff_id', '=', staffId)
      .where('time_step', '<', timeStepOf(now) - USED_CODE_RETENTION_STEPS)
      .execute();
    return inserted !== undefined;
  }

  // ---- second-factor enrolments ------------------------------------------------------------------

  /** One open enrolment per account: a new one replaces any earlier, unconfirmed secret. */
  async replaceEnrolment(
    trx: Trx,
    e: {
      id: string;
      staffId: string;
      ticketHash: Buffer;
      purpose: 'login' | 'session';
      secret: string;
      now: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    await this.dropOpenEnrolments(trx, e.staffId);
    await trx
      .insertInto('otp_enrolments')
      .values({
        id: e.id,
        staff_id: e.staffId,
        ticket_hash: e.ticketHash,
        purpose: e.purpose,
        secret_enc: this.keyring.encrypt(e.secret, enrolmentSecretAad(e.id)),
        created_at: e.now,
        expires_at: e.expiresAt,
      })
      .execute();
  }

  findEnrolment(
    ticketHash: Buffer,
    db: Executor = this.db,
    lock = false,
  ): Promise<EnrolmentRow | undefined> {
    let q = db.selectFrom('otp_enrolments').selectAll().where('ticket_hash', '=', ticketHash);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  enrolmentSecret(e: Pick<EnrolmentRow, 'id' | 'secret_enc'>): string {
    return this.keyring.decrypt(e.secret_enc, enrolmentSecretAad(e.id));
  }

  /** Marks an enrolment done; false if it already was. */
  async completeEnrolment(trx: Trx, id: string, now: Date): Promise<boolean> {
    const done = await trx
      .updateTable('otp_enrolments')
      .set({ completed_at: now })
      .where('id', '=', id)
      .where('completed_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return done !== undefined;
  }

  async dropOpenEnrolments(trx: Trx, staffId: string): Promise<void> {
    await trx
      .deleteFrom('otp_enrolments')
      .where('staff_id', '=', staffId)
      .where('completed_at', 'is', null)
      .execute();
  }
}
