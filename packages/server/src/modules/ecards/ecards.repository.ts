/**
 * The e-cards' SQL (docs/ECARD.md): the e-cards themselves, the QR signing keys (private keys
 * sealed with the keyring here and nowhere else), the used-code table written in batches, and the
 * QR check's one prepared read (terminal, organisation, bank, e-card, card and holder).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database, PreparedQuery } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Trx } from '../../db/transact.js';
import {
  TERMINAL_COLUMNS,
  TERMINAL_FROM,
  cardColumns,
  type CheckRow,
} from '../verification/verification.repository.js';

export interface EcardsTable {
  id: string;
  card_no: string;
  person_id: string;
  jurisdiction: string;
  issued_at: Date;
  pin_hash: string | null;
  pin_set_at: Date | null;
  pin_failures: number;
  pin_locked_at: Date | null;
  updated_at: Date;
}

export interface EcardSigningKeysTable {
  kid: string;
  public_key: Buffer;
  private_key_enc: string | null;
  created_at: Date;
  retired_at: Date | null;
}

export interface EcardQrUsedTable {
  jti: Buffer;
  expires_at: Date;
  used_at: Date;
}

/** The tables of migration 0015, beside the platform's (db/schema.ts). */
export type EcardDB = DB & {
  ecards: EcardsTable;
  ecard_signing_keys: EcardSigningKeysTable;
  ecard_qr_used: EcardQrUsedTable;
};

export type EcardRow = Selectable<EcardsTable>;
export type SigningKeyRow = Omit<Selectable<EcardSigningKeysTable>, 'private_key_enc'> & {
  has_private_key: boolean;
};
type Executor = Kysely<EcardDB> | Transaction<EcardDB>;

const PRIVATE_AAD = (kid: string) => `ecard_signing_keys.private_key:${kid}`;

const QR_CHECK = (terminalBy: string) => `
select ${TERMINAL_COLUMNS},
       e.id as ecard_id, ${cardColumns(['card_no', 'version'])},
       p.id as person_id, p.name as holder_name, p.died_on
  from ${TERMINAL_FROM}
  left join ecards e on e.id = $1
  left join cards c on c.card_no = e.card_no
  left join persons p on p.id = c.person_id
 where ${terminalBy}`;

const QR_BY_CREDENTIAL = QR_CHECK('t.credential_hash = $2');
const QR_BY_ID = QR_CHECK('t.id = $2');

/** One batch of presented codes; answers the jtis that were new (the others were used before). */
const INSERT_USED = `
insert into ecard_qr_used (jti, expires_at, used_at)
select decode(jti, 'hex'), expires_at, $3::timestamptz
  from unnest($1::text[], $2::timestamptz[]) as x(jti, expires_at)
on conflict (jti) do nothing
returning encode(jti, 'hex') as jti`;

export interface QrCheckRow extends CheckRow {
  ecard_id: string | null;
  version: number | null;
}

export class EcardsRepository {
  private readonly db: Kysely<EcardDB>;

  constructor(
    db: Database,
    private readonly keyring: Keyring,
    private readonly prepared: PreparedQuery,
  ) {
    this.db = db as unknown as Kysely<EcardDB>;
  }

  private x(trx: Trx | undefined): Executor {
    return (trx ?? this.db) as unknown as Executor;
  }

  // ---- e-cards --------------------------------------------------------------------------------

  async find(id: string, trx?: Trx, forUpdate = false): Promise<EcardRow | undefined> {
    let q = this.x(trx).selectFrom('ecards').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async findByCard(cardNo: string, trx?: Trx): Promise<EcardRow | undefined> {
    return this.x(trx)
      .selectFrom('ecards')
      .selectAll()
      .where('card_no', '=', cardNo)
      .executeTakeFirst();
  }

  async ofPerson(personId: string): Promise<EcardRow[]> {
    return this.x(undefined)
      .selectFrom('ecards')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('issued_at', 'desc')
      .execute();
  }

  /** Whether the holder has died (the verdict's `holder_deceased`). */
  async holderDied(personId: string, trx?: Trx): Promise<boolean> {
    const row = await this.x(trx)
      .selectFrom('persons')
      .select('died_on')
      .where('id', '=', personId)
      .executeTakeFirst();
    return !!row?.died_on;
  }

  async insert(trx: Trx, row: EcardRow): Promise<void> {
    await this.x(trx).insertInto('ecards').values(row).execute();
  }

  async updatePin(
    trx: Trx,
    id: string,
    set: Partial<Pick<EcardRow, 'pin_hash' | 'pin_set_at' | 'pin_failures' | 'pin_locked_at'>>,
    now: Date,
  ): Promise<void> {
    await this.x(trx)
      .updateTable('ecards')
      .set({ ...set, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  // ---- signing keys ---------------------------------------------------------------------------

  async keys(trx?: Trx): Promise<SigningKeyRow[]> {
    const rows = await this.x(trx)
      .selectFrom('ecard_signing_keys')
      .select(['kid', 'public_key', 'created_at', 'retired_at'])
      .select((eb) => eb('private_key_enc', 'is not', null).as('has_private_key'))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, has_private_key: !!r.has_private_key }));
  }

  async key(kid: string): Promise<SigningKeyRow | undefined> {
    const row = await this.x(undefined)
      .selectFrom('ecard_signing_keys')
      .select(['kid', 'public_key', 'created_at', 'retired_at'])
      .select((eb) => eb('private_key_enc', 'is not', null).as('has_private_key'))
      .where('kid', '=', kid)
      .executeTakeFirst();
    return row && { ...row, has_private_key: !!row.has_private_key };
  }

  /**
   * The signing key (locked when `lock`): its kid, and its private key opened on demand (PKCS#8
   * DER) — a node opens it once per kid.
   */
  async activeKey(
    trx?: Trx,
    lock = false,
  ): Promise<{ kid: string; openPrivate: () => Buffer } | undefined> {
    let q = this.x(trx)
      .selectFrom('ecard_signing_keys')
      .select(['kid', 'private_key_enc'])
      .where('retired_at', 'is', null);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    const sealed = row?.private_key_enc;
    if (!row || !sealed) return undefined;
    return {
      kid: row.kid,
      openPrivate: () => Buffer.from(this.keyring.decrypt(sealed, PRIVATE_AAD(row.kid)), 'base64'),
    };
  }

  async insertKey(
    trx: Trx,
    key: { kid: string; publicKey: Buffer; privateKeyDer: Buffer },
    now: Date,
  ): Promise<void> {
    await this.x(trx)
      .insertInto('ecard_signing_keys')
      .values({
        kid: key.kid,
        public_key: key.publicKey,
        private_key_enc: this.keyring.encrypt(
          key.privateKeyDer.toString('base64'),
          PRIVATE_AAD(key.kid),
        ),
        created_at: now,
        retired_at: null,
      })
      .execute();
  }

  /** The key stops signing; its private key is dropped, its public key verifies on. */
  async retireKey(trx: Trx, kid: string, now: Date): Promise<void> {
    await this.x(trx)
      .updateTable('ecard_signing_keys')
      .set({ retired_at: now, private_key_enc: null })
      .where('kid', '=', kid)
      .execute();
  }

  /** Retired keys whose every code has expired before `before`. */
  async pruneKeys(trx: Trx, before: Date): Promise<number> {
    const r = await this.x(trx)
      .deleteFrom('ecard_signing_keys')
      .where('retired_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // ---- the QR check ---------------------------------------------------------------------------

  async checkByCredential(
    ecardId: string,
    credentialHash: Buffer,
  ): Promise<QrCheckRow | undefined> {
    const rows = await this.prepared<QrCheckRow>('ecard_qr_by_credential', QR_BY_CREDENTIAL, [
      ecardId,
      credentialHash,
    ]);
    return rows[0];
  }

  async checkByTerminalId(ecardId: string, terminalId: string): Promise<QrCheckRow | undefined> {
    const rows = await this.prepared<QrCheckRow>('ecard_qr_by_terminal_id', QR_BY_ID, [
      ecardId,
      terminalId,
    ]);
    return rows[0];
  }

  /** Inserts the batch's codes; answers those that were not there (hex). */
  async markUsed(
    codes: readonly { jti: string; expiresAt: Date }[],
    now: Date,
  ): Promise<Set<string>> {
    const rows = await this.prepared<{ jti: string }>('ecard_qr_used_insert', INSERT_USED, [
      codes.map((c) => c.jti),
      codes.map((c) => c.expiresAt),
      now,
    ]);
    return new Set(rows.map((r) => r.jti));
  }

  async pruneUsed(trx: Trx, before: Date): Promise<number> {
    const r = await this.x(trx)
      .deleteFrom('ecard_qr_used')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
