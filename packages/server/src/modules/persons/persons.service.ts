/**
 * The person registry (人员基础信息). A person is registered once installation-wide: the social
 * security number is the 18-digit citizen number where the person has one (HN-5), otherwise a
 * number assigned by our documented rule (see `assignSsn` in the domain). Key fields (document,
 * name, birth date, sex) are fixed at registration; changing them is a card re-issue (issue 4).
 */
import { createHash } from 'node:crypto';
import {
  DomainError,
  assignSsn,
  checkName,
  checkPhone,
  checkPostcode,
  countryByAlpha3,
  ethnicityByCode,
  inspectPhoto,
  parseIdDocument,
  shanghaiDate,
  DEFAULT_PHOTO_LIMITS,
  type DataScope,
  type HardshipStatus,
  type IdDocumentType,
  type MedicalInsuranceType,
  type ParsedIdDocument,
  type Sex,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import {
  PersonsRepository,
  documentKey,
  ssnKey,
  type Guardian,
  type Person,
} from './persons.repository.js';

export interface NewPerson {
  idType: IdDocumentType;
  idNumber: string;
  name: string;
  sex?: Sex | undefined;
  birthDate?: string | undefined;
  nationality?: string | undefined;
  ethnicity?: string | undefined;
  phone?: string | undefined;
  householdAddress?: string | undefined;
  residenceAddress?: string | undefined;
  postcode?: string | undefined;
  occupation?: string | undefined;
  medicalInsurance?: MedicalInsuranceType | undefined;
  hardship?: HardshipStatus | undefined;
  guardian?: Guardian | undefined;
  jurisdiction?: string | undefined;
}

/** Fields that may change without a new card (非关键信息, HN-23 / FZ-30). */
export interface PersonChanges {
  version?: number | undefined;
  phone?: string | null | undefined;
  householdAddress?: string | null | undefined;
  residenceAddress?: string | null | undefined;
  postcode?: string | null | undefined;
  occupation?: string | null | undefined;
  medicalInsurance?: MedicalInsuranceType | null | undefined;
  hardship?: HardshipStatus | undefined;
  ethnicity?: string | null | undefined;
  guardian?: Guardian | null | undefined;
}

const CITIZEN_DOCUMENTS: readonly IdDocumentType[] = ['resident_id', 'household_register'];

export class PersonsService {
  readonly repo: PersonsRepository;

  constructor(private readonly deps: Deps) {
    this.repo = new PersonsRepository(deps.db, deps.keyring);
  }

  private today(): string {
    return shanghaiDate(this.deps.clock.now());
  }

  async create(input: NewPerson, ctx: ActContext): Promise<Person> {
    const actor = ctx.actor!;
    const doc = parseIdDocument(input.idType, input.idNumber, this.today());
    const nationality = resolveNationality(doc, input.nationality);
    checkName(input.name, nationality !== 'CHN');
    const { birthDate, sex } = resolveBirth(doc, input, this.today());
    this.checkContactFields(input);
    const guardian = input.guardian ? this.checkGuardian(input.guardian) : null;
    const jurisdiction = this.deps.jurisdictions.resolve(
      input.jurisdiction ?? actor.jurisdiction ?? '',
    ).code;
    if (actor.scope.kind === 'jurisdiction' && !jurisdiction.startsWith(actor.scope.prefix)) {
      throw new DomainError('OUT_OF_SCOPE', { resource: 'person' });
    }

    const now = this.deps.clock.now();
    const id = uuidv7();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        let ssn = doc.ssn;
        if (!ssn) {
          const numeric = countryByAlpha3(nationality)!.numeric;
          const sequence = await this.repo.nextSsnSequence(trx, `900${numeric}${birthDate}${sex}`);
          ssn = assignSsn({ nationality, birthDate, sex, sequence });
        }
        const person: Person = {
          id,
          ssn,
          idType: doc.type,
          idNumber: doc.number,
          name: input.name,
          sex,
          ethnicity: input.ethnicity ?? null,
          nationality,
          birthDate,
          phone: input.phone ?? null,
          householdAddress: input.householdAddress ?? null,
          residenceAddress: input.residenceAddress ?? null,
          postcode: input.postcode ?? null,
          occupation: input.occupation ?? null,
          medicalInsurance: input.medicalInsurance ?? null,
          guardian,
          hardship: input.hardship ?? 'none',
          diedOn: null,
          deathEvidence: null,
          photoId: null,
          jurisdiction,
          registeredBy: actor.organizationId,
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
        await this.repo.insert(trx, person, actor.organizationId);
        await this.deps.audit.append(
          trx,
          ctx,
          {
            action: 'person.create',
            targetType: 'person',
            targetId: id,
            jurisdiction,
            details: {
              idType: doc.type,
              ssnAssigned: !doc.ssn,
              upgradedFrom15: doc.upgradedFrom15 ?? false,
            },
          },
          now,
        );
        return person;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw await this.existsError(doc);
      throw e;
    }
  }

  /** PERSON_EXISTS, carrying the existing person's id (an opaque reference, not their data). */
  private async existsError(doc: ParsedIdDocument): Promise<DomainError> {
    const bySsn = doc.ssn ? await this.repo.findIdByKey('ssn', ssnKey(doc.ssn)) : undefined;
    const personId =
      bySsn ?? (await this.repo.findIdByKey('id_document', documentKey(doc.type, doc.number)));
    const key = bySsn ? 'ssn' : 'id_document';
    return new DomainError(
      'PERSON_EXISTS',
      { key },
      undefined,
      personId ? { personId } : undefined,
    );
  }

  /** A person in the actor's scope; anything else is "not found" so existence does not leak. */
  async get(scope: DataScope, id: string): Promise<Person> {
    const person = await this.repo.findById(id);
    if (!person || !(await this.repo.inScope(id, scope)))
      throw new DomainError('NOT_FOUND', { resource: 'person' });
    return person;
  }

  /** A full, unmasked read: needs a reason and is audited as an act of its own. */
  async readFull(scope: DataScope, id: string, ctx: ActContext): Promise<Person> {
    if (!ctx.reason) throw new DomainError('REASON_REQUIRED');
    const person = await this.get(scope, id);
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute((trx) =>
      this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'person.read_full',
          targetType: 'person',
          targetId: id,
          jurisdiction: person.jurisdiction,
        },
        now,
      ),
    );
    return person;
  }

  /** Exact lookup by document or SSN, limited to the actor's scope. */
  async search(
    scope: DataScope,
    q: {
      idType?: IdDocumentType | undefined;
      idNumber?: string | undefined;
      ssn?: string | undefined;
      phone?: string | undefined;
    },
  ): Promise<Person[]> {
    let ids: string[] = [];
    if (q.ssn) {
      const id = await this.repo.findIdByKey('ssn', ssnKey(q.ssn));
      ids = id ? [id] : [];
    } else if (q.idType && q.idNumber) {
      const doc = parseIdDocument(q.idType, q.idNumber, this.today());
      const id =
        (doc.ssn ? await this.repo.findIdByKey('ssn', ssnKey(doc.ssn)) : undefined) ??
        (await this.repo.findIdByKey('id_document', documentKey(doc.type, doc.number)));
      ids = id ? [id] : [];
    } else if (q.phone) {
      checkPhone(q.phone);
      ids = await this.repo.findIdsByPhone(q.phone);
    } else {
      throw new DomainError('VALIDATION', { summary: 'give ssn, idType with idNumber, or phone' });
    }
    const found: Person[] = [];
    for (const id of ids) {
      if (!(await this.repo.inScope(id, scope))) continue;
      const p = await this.repo.findById(id);
      if (p) found.push(p);
    }
    return found;
  }

  async update(
    scope: DataScope,
    id: string,
    changes: PersonChanges,
    ctx: ActContext,
  ): Promise<Person> {
    this.checkContactFields(changes);
    const guardian = changes.guardian ? this.checkGuardian(changes.guardian) : changes.guardian;
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await this.repo.findById(id, trx, true);
      if (!current || !(await this.repo.inScope(id, scope, trx)))
        throw new DomainError('NOT_FOUND', { resource: 'person' });
      if (changes.version !== undefined && changes.version !== current.version) {
        throw new DomainError('PERSON_CHANGED', { current: current.version });
      }
      const next: Person = { ...current };
      const changed: string[] = [];
      for (const field of [
        'phone',
        'householdAddress',
        'residenceAddress',
        'postcode',
        'occupation',
        'medicalInsurance',
        'hardship',
        'ethnicity',
      ] as const) {
        if (changes[field] !== undefined && changes[field] !== current[field]) {
          (next as unknown as Record<string, unknown>)[field] = changes[field];
          changed.push(field);
        }
      }
      if (guardian !== undefined) {
        next.guardian = guardian;
        changed.push('guardian');
      }
      // A change that changes nothing is still an act on the record: it is audited, as such.
      if (changed.length) {
        next.version = await this.repo.update(trx, next, now);
        next.updatedAt = now;
      }
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'person.update',
          targetType: 'person',
          targetId: id,
          jurisdiction: current.jurisdiction,
          details: { fields: changed.join(','), changed: changed.length > 0 },
        },
        now,
      );
      return next;
    });
  }

  /** Records a death (持卡人死亡), with the evidence seen (e.g. the death certificate's number). */
  async recordDeath(
    scope: DataScope,
    id: string,
    input: { diedOn: string; evidence: string },
    ctx: ActContext,
  ): Promise<Person> {
    if (input.diedOn > this.today())
      throw new DomainError('VALIDATION', { summary: 'diedOn is in the future' });
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await this.repo.findById(id, trx, true);
      if (!current || !(await this.repo.inScope(id, scope, trx)))
        throw new DomainError('NOT_FOUND', { resource: 'person' });
      if (current.diedOn) throw new DomainError('PERSON_DECEASED');
      if (input.diedOn < current.birthDate)
        throw new DomainError('VALIDATION', { summary: 'diedOn is before the birth date' });
      const next: Person = { ...current, diedOn: input.diedOn, deathEvidence: input.evidence };
      next.version = await this.repo.update(trx, next, now);
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'person.record_death',
          targetType: 'person',
          targetId: id,
          jurisdiction: current.jurisdiction,
        },
        now,
      );
      return next;
    });
  }

  async setPhoto(
    scope: DataScope,
    id: string,
    bytes: Buffer,
    ctx: ActContext,
  ): Promise<{ photoId: string; contentType: string; width: number; height: number }> {
    const info = inspectPhoto(bytes, {
      ...DEFAULT_PHOTO_LIMITS,
      maxBytes: this.deps.config.photo.maxBytes,
      maxDecodedBytes: this.deps.config.photo.maxDecodedBytes,
    });
    const now = this.deps.clock.now();
    const photoId = uuidv7();
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await this.repo.findById(id, trx, true);
      if (!current || !(await this.repo.inScope(id, scope, trx)))
        throw new DomainError('NOT_FOUND', { resource: 'person' });
      await this.repo.insertPhoto(trx, {
        id: photoId,
        personId: id,
        contentType: info.contentType,
        bytes,
        width: info.width,
        height: info.height,
        sha256: createHash('sha256').update(bytes).digest(),
        at: now,
      });
      await this.repo.update(trx, { ...current, photoId }, now);
      await this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'person.photo',
          targetType: 'person',
          targetId: id,
          jurisdiction: current.jurisdiction,
          details: { photoId },
        },
        now,
      );
      return { photoId, contentType: info.contentType, width: info.width, height: info.height };
    });
  }

  async readPhoto(
    scope: DataScope,
    id: string,
    ctx: ActContext,
  ): Promise<{ contentType: string; bytes: Buffer }> {
    const person = await this.readFull(scope, id, ctx);
    const photo = person.photoId ? await this.repo.findPhoto(person.photoId) : undefined;
    if (!photo) throw new DomainError('NOT_FOUND', { resource: 'photo' });
    return photo;
  }

  private checkContactFields(f: {
    phone?: string | null | undefined;
    postcode?: string | null | undefined;
    ethnicity?: string | null | undefined;
  }): void {
    if (f.phone) checkPhone(f.phone);
    if (f.postcode) checkPostcode(f.postcode);
    if (f.ethnicity && !ethnicityByCode(f.ethnicity))
      throw new DomainError('ETHNICITY_UNKNOWN', { value: f.ethnicity });
  }

  private checkGuardian(g: Guardian): Guardian {
    if (!g.name || !g.relation) throw new DomainError('GUARDIAN_INVALID');
    const doc = parseIdDocument(g.idType, g.idNumber, this.today());
    checkName(g.name, !CITIZEN_DOCUMENTS.includes(doc.type));
    return { ...g, idType: doc.type, idNumber: doc.number };
  }
}

/** Nationality from the document where it carries one; otherwise as stated, and checked. */
function resolveNationality(doc: ParsedIdDocument, stated: string | undefined): string {
  const derived = derivedNationality(doc);
  if (derived) {
    if (stated !== undefined && stated !== derived)
      throw new DomainError('NATIONALITY_MISMATCH', { expected: derived });
    return derived;
  }
  if (!stated) throw new DomainError('NATIONALITY_REQUIRED');
  if (!countryByAlpha3(stated))
    throw new DomainError('NATIONALITY_UNKNOWN', { value: stated.slice(0, 8) });
  return stated;
}

function derivedNationality(doc: ParsedIdDocument): string | undefined {
  if (CITIZEN_DOCUMENTS.includes(doc.type)) return 'CHN';
  if (doc.nationality) return doc.nationality;
  if (doc.type === 'hmt_residence_permit')
    return { '81': 'HKG', '82': 'MAC', '83': 'TWN' }[doc.number.slice(0, 2)];
  if (doc.type === 'tw_travel_permit') return 'TWN';
  if (doc.type === 'hk_macau_travel_permit') return doc.number.startsWith('M') ? 'MAC' : 'HKG';
  return undefined;
}

function resolveBirth(
  doc: ParsedIdDocument,
  input: { birthDate?: string | undefined; sex?: Sex | undefined },
  today: string,
): { birthDate: string; sex: Sex } {
  if (doc.birthDate && input.birthDate && doc.birthDate !== input.birthDate)
    throw new DomainError('PERSON_BIRTH_DATE_MISMATCH');
  if (doc.sex && input.sex && doc.sex !== input.sex) throw new DomainError('PERSON_SEX_MISMATCH');
  const birthDate = doc.birthDate ?? input.birthDate;
  const sex = doc.sex ?? input.sex;
  if (!birthDate || !sex) throw new DomainError('PERSON_BIRTH_DATE_REQUIRED');
  if (birthDate > today)
    throw new DomainError('VALIDATION', { summary: 'birthDate is in the future' });
  return { birthDate, sex };
}
