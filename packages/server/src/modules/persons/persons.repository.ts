/**
 * Persons at rest. This is the only place that sees personal data in clear on its way to or from
 * the database: ID numbers, SSNs, phones and addresses are sealed with the keyring (bound to the
 * row and column), and exact lookups use blind indexes in `person_keys` and `phone_hmac`.
 */
import type {
  DataScope,
  HardshipStatus,
  IdDocumentType,
  MedicalInsuranceType,
  Sex,
} from '@sscard/domain';
import { sql, type Selectable, type Transaction } from 'kysely';
import type { Keyring } from '../../crypto/keyring.js';
import type { Database } from '../../db/database.js';
import { slices } from '../../lists.js';
import type { DB, PersonsTable } from '../../db/schema.js';
import { orgScopePredicate } from '../organizations/scope.js';

export interface Guardian {
  name: string;
  idType: IdDocumentType;
  idNumber: string;
  relation: string;
}

/** A person as the services see it: decrypted, camel-cased. */
export interface Person {
  id: string;
  ssn: string;
  idType: IdDocumentType;
  idNumber: string;
  name: string;
  sex: Sex;
  ethnicity: string | null;
  nationality: string;
  birthDate: string;
  phone: string | null;
  householdAddress: string | null;
  residenceAddress: string | null;
  postcode: string | null;
  occupation: string | null;
  medicalInsurance: MedicalInsuranceType | null;
  guardian: Guardian | null;
  hardship: HardshipStatus;
  diedOn: string | null;
  deathEvidence: string | null;
  photoId: string | null;
  jurisdiction: string;
  registeredBy: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Selectable<PersonsTable>;
type Executor = Database | Transaction<DB>;

/** Normalised forms for blind indexes. */
export function ssnKey(ssn: string): string {
  return ssn.toUpperCase();
}
export function documentKey(type: IdDocumentType, number: string): string {
  return `${type}:${number.toUpperCase()}`;
}

export class PersonsRepository {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  private seal(id: string, column: string, value: string | null): string | null {
    return value === null ? null : this.keyring.encrypt(value, `persons.${column}:${id}`);
  }

  private open(id: string, column: string, value: string | null): string | null {
    return value === null ? null : this.keyring.decrypt(value, `persons.${column}:${id}`);
  }

  phoneIndex(phone: string): Buffer {
    return this.keyring.blindIndex('phone', phone);
  }

  keyIndex(kind: 'ssn' | 'id_document', normalised: string): Buffer {
    return this.keyring.blindIndex(kind, normalised);
  }

  toPerson(row: Row): Person {
    const guardian = row.guardian as Omit<Guardian, 'idNumber'> | null;
    return {
      id: row.id,
      ssn: this.open(row.id, 'ssn', row.ssn_enc)!,
      idType: row.id_type as IdDocumentType,
      idNumber: this.open(row.id, 'id_number', row.id_number_enc)!,
      name: row.name,
      sex: row.sex,
      ethnicity: row.ethnicity,
      nationality: row.nationality,
      birthDate: row.birth_date,
      phone: this.open(row.id, 'phone', row.phone_enc),
      householdAddress: this.open(row.id, 'household_address', row.household_address_enc),
      residenceAddress: this.open(row.id, 'residence_address', row.residence_address_enc),
      postcode: row.postcode,
      occupation: row.occupation,
      medicalInsurance: row.medical_insurance,
      guardian: guardian
        ? {
            ...guardian,
            idNumber: this.open(row.id, 'guardian_id_number', row.guardian_id_number_enc) ?? '',
          }
        : null,
      hardship: row.hardship,
      diedOn: row.died_on,
      deathEvidence: row.death_evidence,
      photoId: row.photo_id,
      jurisdiction: row.jurisdiction,
      registeredBy: row.registered_by,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async insert(trx: Transaction<DB>, p: Person, relationOrg: string | null): Promise<void> {
    await trx.insertInto('persons').values(this.row(p)).execute();
    // The keys go in after the row; their primary key is what makes a person unique.
    await this.insertKeys(trx, p);
    if (relationOrg) await this.linkRegistered(trx, p.id, relationOrg, p.createdAt);
  }

  /**
   * Many new persons at once (a roster chunk): the rows, their keys and the registering
   * organisation in a few multi-row statements. A key taken meanwhile fails the statement with a
   * unique violation; the caller then goes one by one.
   */
  async insertMany(trx: Transaction<DB>, ps: Person[], relationOrg: string | null): Promise<void> {
    for (const part of slices(ps, 500)) {
      await trx
        .insertInto('persons')
        .values(part.map((p) => this.row(p)))
        .execute();
      await trx
        .insertInto('person_keys')
        .values(part.flatMap((p) => this.keys(p)))
        .execute();
      if (relationOrg)
        await trx
          .insertInto('person_orgs')
          .values(
            part.map((p) => ({
              person_id: p.id,
              organization_id: relationOrg,
              relation: 'registered' as const,
              created_at: p.createdAt,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
  }

  private row(p: Person) {
    return {
      id: p.id,
      ssn_enc: this.seal(p.id, 'ssn', p.ssn)!,
      id_type: p.idType,
      id_number_enc: this.seal(p.id, 'id_number', p.idNumber)!,
      name: p.name,
      sex: p.sex,
      nationality: p.nationality,
      birth_date: p.birthDate,
      ...this.changeableColumns(p),
      jurisdiction: p.jurisdiction,
      registered_by: p.registeredBy,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    };
  }

  /** The organisation that registered the person: the one relation that gives standing. */
  private async linkRegistered(
    trx: Executor,
    personId: string,
    organizationId: string,
    at: Date,
  ): Promise<void> {
    await trx
      .insertInto('person_orgs')
      .values({
        person_id: personId,
        organization_id: organizationId,
        relation: 'registered',
        created_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async findById(
    id: string,
    db: Executor = this.db,
    forUpdate = false,
  ): Promise<Person | undefined> {
    let q = db.selectFrom('persons').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? this.toPerson(row) : undefined;
  }

  /** The person's jurisdiction, or undefined when there is no such person. */
  async jurisdictionOf(id: string, db: Executor = this.db): Promise<string | undefined> {
    const row = await db
      .selectFrom('persons')
      .select('jurisdiction')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.jurisdiction;
  }

  async birthDate(id: string, db: Executor = this.db): Promise<string | undefined> {
    const row = await db
      .selectFrom('persons')
      .select('birth_date')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.birth_date;
  }

  async findIdByKey(
    kind: 'ssn' | 'id_document',
    normalised: string,
    db: Executor = this.db,
  ): Promise<string | undefined> {
    const row = await db
      .selectFrom('person_keys')
      .select('person_id')
      .where('key_kind', '=', kind)
      .where('key_hmac', '=', this.keyIndex(kind, normalised))
      .executeTakeFirst();
    return row?.person_id;
  }

  /** Person ids by many normalised keys at once: key → person id (absent when nobody holds it). */
  async findIdsByKeys(
    kind: 'ssn' | 'id_document',
    normalised: string[],
    db: Executor = this.db,
  ): Promise<Map<string, string>> {
    const byIndex = new Map(normalised.map((k) => [this.keyIndex(kind, k).toString('hex'), k]));
    const found = new Map<string, string>();
    if (!byIndex.size) return found;
    const rows = await db
      .selectFrom('person_keys')
      .select(['key_hmac', 'person_id'])
      .where('key_kind', '=', kind)
      .where(
        'key_hmac',
        'in',
        [...byIndex.keys()].map((h) => Buffer.from(h, 'hex')),
      )
      .execute();
    for (const r of rows)
      found.set(byIndex.get(Buffer.from(r.key_hmac).toString('hex'))!, r.person_id);
    return found;
  }

  /** Many persons by id (locked for the caller's transaction when `forUpdate`). */
  async findByIds(ids: string[], db: Executor = this.db, forUpdate = false): Promise<Person[]> {
    if (!ids.length) return [];
    let q = db.selectFrom('persons').selectAll().where('id', 'in', ids).orderBy('id');
    if (forUpdate) q = q.forUpdate();
    return (await q.execute()).map((r) => this.toPerson(r));
  }

  async findIdsByPhone(phone: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('persons')
      .select('id')
      .where('phone_hmac', '=', this.phoneIndex(phone))
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Standing: the person was registered by an organisation inside the scope, or, for a centre,
   * has an application in its jurisdiction. Serving a holder (an application, a loss report at
   * the counter) gives no standing: it never opens the full record of someone else's customer.
   */
  async standing(personId: string, scope: DataScope, db: Executor = this.db): Promise<boolean> {
    if (scope.kind === 'all') return true;
    const registered = await db
      .selectFrom('person_orgs as po')
      .innerJoin('organizations as o', 'o.id', 'po.organization_id')
      .select(sql<number>`1`.as('one'))
      .where('po.person_id', '=', personId)
      .where('po.relation', '=', 'registered')
      .where(orgScopePredicate(scope, 'o'))
      .limit(1)
      .executeTakeFirst();
    if (registered || scope.kind !== 'jurisdiction') return registered !== undefined;
    const applied = await db
      .selectFrom('applications')
      .select(sql<number>`1`.as('one'))
      .where('person_id', '=', personId)
      .where('jurisdiction', 'like', `${scope.prefix}%`)
      .limit(1)
      .executeTakeFirst();
    return applied !== undefined;
  }

  /** The person's unique keys (SSN, identity document) as blind indexes. */
  private async insertKeys(trx: Transaction<DB>, p: Person): Promise<void> {
    await trx.insertInto('person_keys').values(this.keys(p)).execute();
  }

  private keys(p: Person) {
    return [
      { key_kind: 'ssn' as const, key_hmac: this.keyIndex('ssn', ssnKey(p.ssn)), person_id: p.id },
      {
        key_kind: 'id_document' as const,
        key_hmac: this.keyIndex('id_document', documentKey(p.idType, p.idNumber)),
        person_id: p.id,
      },
    ];
  }

  /** The columns a non-key change may touch, sealed where personal: written at creation too. */
  private changeableColumns(p: Person) {
    return {
      ethnicity: p.ethnicity,
      phone_enc: this.seal(p.id, 'phone', p.phone),
      phone_hmac: p.phone ? this.phoneIndex(p.phone) : null,
      household_address_enc: this.seal(p.id, 'household_address', p.householdAddress),
      residence_address_enc: this.seal(p.id, 'residence_address', p.residenceAddress),
      postcode: p.postcode,
      occupation: p.occupation,
      medical_insurance: p.medicalInsurance,
      guardian: p.guardian ? JSON.stringify(guardianPublic(p.guardian)) : null,
      guardian_id_number_enc: p.guardian
        ? this.seal(p.id, 'guardian_id_number', p.guardian.idNumber)
        : null,
      hardship: p.hardship,
    };
  }

  async update(trx: Transaction<DB>, p: Person, at: Date): Promise<number> {
    const row = await trx
      .updateTable('persons')
      .set({
        ...this.changeableColumns(p),
        died_on: p.diedOn,
        death_evidence: p.deathEvidence,
        photo_id: p.photoId,
        version: sql<number>`version + 1`,
        updated_at: at,
      })
      .where('id', '=', p.id)
      .returning('version')
      .executeTakeFirstOrThrow();
    return row.version;
  }

  /**
   * Key information (姓名、证件、社会保障号码) changes only with proof and leads to a new card
   * (see applications/key-change.ts). The blind-index keys move with it, so the old number no
   * longer finds the person and the new one cannot belong to anyone else.
   */
  async updateKeyFields(trx: Transaction<DB>, p: Person, at: Date): Promise<void> {
    await trx
      .updateTable('persons')
      .set({
        name: p.name,
        id_type: p.idType,
        id_number_enc: this.seal(p.id, 'id_number', p.idNumber)!,
        ssn_enc: this.seal(p.id, 'ssn', p.ssn)!,
        version: sql<number>`version + 1`,
        updated_at: at,
      })
      .where('id', '=', p.id)
      .execute();
    await trx.deleteFrom('person_keys').where('person_id', '=', p.id).execute();
    await this.insertKeys(trx, p);
  }

  async nextSsnSequence(trx: Transaction<DB>, prefix: string): Promise<number> {
    const row = await trx
      .insertInto('ssn_sequences')
      .values({ prefix, last_value: 1 })
      .onConflict((oc) =>
        oc.column('prefix').doUpdateSet({ last_value: sql<number>`ssn_sequences.last_value + 1` }),
      )
      .returning('last_value')
      .executeTakeFirstOrThrow();
    return row.last_value;
  }

  async insertPhoto(
    trx: Transaction<DB>,
    photo: {
      id: string;
      personId: string;
      contentType: string;
      bytes: Buffer;
      width: number;
      height: number;
      sha256: Buffer;
      at: Date;
    },
  ): Promise<void> {
    await trx
      .insertInto('photos')
      .values({
        id: photo.id,
        person_id: photo.personId,
        content_type: photo.contentType,
        byte_size: photo.bytes.length,
        width: photo.width,
        height: photo.height,
        sha256: photo.sha256,
        data_enc: this.keyring.encryptBytes(photo.bytes, `photos.data:${photo.id}`),
        created_at: photo.at,
      })
      .execute();
  }

  async findPhoto(photoId: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
    const row = await this.db
      .selectFrom('photos')
      .select(['content_type', 'data_enc'])
      .where('id', '=', photoId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      contentType: row.content_type,
      bytes: this.keyring.decryptBytes(row.data_enc, `photos.data:${photoId}`),
    };
  }
}

function guardianPublic(g: Guardian): Omit<Guardian, 'idNumber'> {
  return { name: g.name, idType: g.idType, relation: g.relation };
}
