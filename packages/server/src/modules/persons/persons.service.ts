/**
 * The person registry (人员基础信息). A person is registered once installation-wide: the social
 * security number is the 18-digit citizen number where the person has one (HN-5), otherwise a
 * number assigned by our documented rule (see `assignSsn` in the domain). Key fields (document,
 * name, birth date, sex) are fixed at registration; changing them is a card re-issue (issue 4).
 */
import {
  DomainError,
  assignSsn,
  checkName,
  checkPhone,
  checkPostcode,
  countryByAlpha3,
  ethnicityByCode,
  parseIdDocument,
  shanghaiDate,
  isCounter,
  checkInfoChange,
  placeOfActor,
  type InfoField,
  type HardshipStatus,
  type IdDocumentType,
  type MedicalInsuranceType,
  type ParsedIdDocument,
  type Sex,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import { isUniqueViolation, type Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Trx } from '../../db/transact.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import { personTarget } from './persons.access.js';
import { presentPerson } from './persons.presenter.js';
import {
  documentKey,
  ssnKey,
  type Guardian,
  type Person,
  type PersonsRepository,
} from './persons.repository.js';
import { encodePhoto } from './photo-codec.js';

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

/** The data fields the packs name (INFO_FIELDS) behind the record's own fields. */
const INFO_FIELD_OF: Partial<Record<string, InfoField>> = {
  phone: 'phone',
  householdAddress: 'address',
  residenceAddress: 'address',
  postcode: 'postcode',
};

const NON_KEY_FIELDS = [
  'phone',
  'householdAddress',
  'residenceAddress',
  'postcode',
  'occupation',
  'medicalInsurance',
  'hardship',
  'ethnicity',
] as const;

/**
 * Online, a holder changes their contact data only: a hardship status (fee relief) or an
 * insurance kind needs proof at a counter, and a guardian is recorded there with documents.
 */
const HOLDER_FIELDS: readonly string[] = [
  'phone',
  'householdAddress',
  'residenceAddress',
  'postcode',
  'occupation',
];

function refuseHolderFields(changes: PersonChanges): void {
  const others = Object.keys(changes).filter(
    (k) =>
      k !== 'version' &&
      !HOLDER_FIELDS.includes(k) &&
      (changes as Record<string, unknown>)[k] !== undefined,
  );
  if (others.length)
    throw new DomainError('VALIDATION', {
      summary: `online a holder changes only ${HOLDER_FIELDS.join(', ')}; ${others.join(', ')} at a counter`,
    });
}

/** How a person was looked for: by a full identity number (the holder is at the counter) or not. */
export interface PersonQuery {
  idType?: IdDocumentType | undefined;
  idNumber?: string | undefined;
  ssn?: string | undefined;
  phone?: string | undefined;
}

export class PersonsService {
  readonly repo: PersonsRepository;

  constructor(
    private readonly deps: Deps,
    /** What follows a recorded death elsewhere (cards not yet handed over, ZS-17(二)). */
    private readonly onDeath: (
      personId: string,
      requestId: string | null,
    ) => Promise<unknown> = async () => {},
  ) {
    this.repo = deps.repos.persons;
  }

  private today(): string {
    return shanghaiDate(this.deps.clock.now());
  }

  /** Registration (人员登记) into the actor's jurisdiction, or one its centre covers. */
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
    const id = uuidv7();
    try {
      return await this.deps.acts.run(ctx, {
        name: 'person.create',
        resource: 'jurisdiction',
        load: async () => ({ jurisdiction }),
        target: () => ({ type: 'jurisdiction', id: null, jurisdiction }),
        apply: async ({ trx, now }) => {
          let ssn = doc.ssn;
          if (!ssn) {
            const numeric = countryByAlpha3(nationality)!.numeric;
            const prefix = `900${numeric}${birthDate}${sex}`;
            ssn = assignSsn({
              nationality,
              birthDate,
              sex,
              sequence: await this.repo.nextSsnSequence(trx, prefix),
            });
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
          return {
            result: person,
            audited: { targetType: 'person', targetId: id },
            details: {
              idType: doc.type,
              ssnAssigned: !doc.ssn,
              upgradedFrom15: doc.upgradedFrom15 ?? false,
            },
          };
        },
        present: (p) => presentPerson(p, false),
        status: 201,
      });
    } catch (e) {
      if (isUniqueViolation(e, 'person_keys_pkey') || isUniqueViolation(e, 'persons_pkey'))
        throw await this.existsError(doc, ctx);
      throw e;
    }
  }

  /**
   * PERSON_EXISTS. It carries the existing person's id only for an actor who may already see
   * them; anyone else finds them by their document number (persons.find), which is audited and
   * answers with the masked record.
   */
  private async existsError(doc: ParsedIdDocument, ctx: ActContext): Promise<DomainError> {
    const bySsn = doc.ssn ? await this.repo.findIdByKey('ssn', ssnKey(doc.ssn)) : undefined;
    const personId =
      bySsn ?? (await this.repo.findIdByKey('id_document', documentKey(doc.type, doc.number)));
    const key = bySsn ? 'ssn' : 'id_document';
    const person = personId ? await this.repo.findById(personId) : undefined;
    const visible =
      person !== undefined &&
      (await this.deps.access.can(
        this.deps.db,
        ctx.actor!,
        'person.read',
        personTarget(person),
        this.deps.clock.now(),
      ));
    return new DomainError(
      'PERSON_EXISTS',
      { key },
      undefined,
      visible ? { personId: person.id } : undefined,
    );
  }

  /** A person the actor may see; anyone else is "not found", so existence does not leak. */
  async get(id: string, ctx: ActContext): Promise<Person> {
    const person = await this.repo.findById(id);
    if (!person) throw new DomainError('NOT_FOUND', { resource: 'person' });
    const now = this.deps.clock.now();
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'person.read',
      personTarget(person),
      now,
    );
    return person;
  }

  /**
   * The full, unmasked record: for the organisation that registered the person, or the centre;
   * never through a presence. Needs a stated reason and is audited as an act of its own.
   */
  async readFull(id: string, ctx: ActContext, action = 'person.read_full'): Promise<Person> {
    return this.deps.acts.run(ctx, {
      name: 'person.read_full',
      action,
      resource: 'person',
      load: (trx) => this.repo.findById(id, trx),
      target: (p: Person) => personTarget(p),
      // The reason is asked for once access is decided: who may not read it learns nothing more.
      apply: async ({ loaded }) => {
        if (!ctx.reason) throw new DomainError('REASON_REQUIRED');
        return { result: loaded };
      },
      present: (p) => presentPerson(p, true),
    });
  }

  /**
   * Finds persons by document, SSN or phone (exact match). A counter that gives a full document
   * or social security number is serving the holder in front of it: it opens a presence for them
   * (SSCARD_PRESENCE_MINUTES) and sees the masked record, whoever registered them. Otherwise only
   * persons the actor may already see are answered. Audited, with each person found.
   */
  async find(q: PersonQuery, ctx: ActContext): Promise<Person[]> {
    const actor = ctx.actor!;
    const { ids, by } = await this.lookup(q);
    const opensPresence = by !== 'phone' && isCounter(actor) && actor.organizationId !== null;
    return this.deps.acts.run(ctx, {
      name: 'person.find',
      resource: 'person',
      load: async () => ids,
      target: () => ({
        type: 'person',
        id: ids.length === 1 ? ids[0]! : null,
        jurisdiction: actor.jurisdiction,
      }),
      apply: async ({ trx, now }) => {
        const found: Person[] = [];
        for (const id of ids) {
          const person = await this.repo.findById(id, trx);
          if (!person) continue;
          if (opensPresence) {
            const until = new Date(now.getTime() + this.deps.config.presenceMinutes * 60_000);
            await this.deps.repos.presence.open(trx, {
              organizationId: actor.organizationId!,
              personId: id,
              staffId: actor.staffId,
              now,
              until,
            });
          }
          if (await this.deps.access.can(trx, actor, 'person.read', personTarget(person), now))
            found.push(person);
        }
        return {
          result: found,
          details: { by, found: found.length, presence: opensPresence && found.length > 0 },
          more:
            found.length > 1
              ? found.map((p) => ({
                  action: 'person.find',
                  targetType: 'person',
                  targetId: p.id,
                  jurisdiction: p.jurisdiction,
                }))
              : [],
        };
      },
      present: (found) => ({ items: found.map((p) => presentPerson(p, false)) }),
    });
  }

  private async lookup(
    q: PersonQuery,
  ): Promise<{ ids: string[]; by: 'ssn' | 'id_document' | 'phone' }> {
    if (q.ssn) {
      const id = await this.repo.findIdByKey('ssn', ssnKey(q.ssn));
      return { ids: id ? [id] : [], by: 'ssn' };
    }
    if (q.idType && q.idNumber) {
      const doc = parseIdDocument(q.idType, q.idNumber, this.today());
      const id =
        (doc.ssn ? await this.repo.findIdByKey('ssn', ssnKey(doc.ssn)) : undefined) ??
        (await this.repo.findIdByKey('id_document', documentKey(doc.type, doc.number)));
      return { ids: id ? [id] : [], by: 'id_document' };
    }
    if (q.phone) {
      checkPhone(q.phone);
      return { ids: await this.repo.findIdsByPhone(q.phone), by: 'phone' };
    }
    throw new DomainError('VALIDATION', { summary: 'give ssn, idType with idNumber, or phone' });
  }

  /** Non-key changes (非关键信息变更): phone, addresses, postcode, occupation, … */
  async update(id: string, changes: PersonChanges, ctx: ActContext): Promise<Person> {
    this.checkContactFields(changes);
    const guardian = changes.guardian ? this.checkGuardian(changes.guardian) : changes.guardian;
    return this.personAct(id, ctx, 'person.update', async ({ trx, now, current }) => {
      if (ctx.actor?.holder) refuseHolderFields(changes);
      if (changes.version !== undefined && changes.version !== current.version) {
        throw new DomainError('PERSON_CHANGED', { current: current.version });
      }
      const next: Person = { ...current };
      const changed: string[] = [];
      for (const field of NON_KEY_FIELDS) {
        if (changes[field] !== undefined && changes[field] !== current[field]) {
          (next as unknown as Record<string, unknown>)[field] = changes[field];
          changed.push(field);
        }
      }
      if (guardian !== undefined) {
        next.guardian = guardian;
        changed.push('guardian');
      }
      // Contact data is changed where the pack of the place where it is done says (HN-23, FZ-30).
      const info = [
        ...new Set(changed.map((f) => INFO_FIELD_OF[f]).filter((f) => f !== undefined)),
      ];
      const actor = ctx.actor!;
      // Staff apply their own jurisdiction's pack at their counter; a holder online, their own.
      const where = actor.holder ? current.jurisdiction : actor.jurisdiction;
      if (info.length && where) {
        const { pack } = this.deps.rules.resolve(where, now);
        checkInfoChange(pack, info, placeOfActor(actor, 'counter'));
      }
      // A change that changes nothing is still an act on the record: it is audited, as such.
      if (changed.length) {
        next.version = await this.repo.update(trx, next, now);
        next.updatedAt = now;
      }
      return {
        result: next,
        details: { fields: changed.join(','), changed: changed.length > 0 },
      };
    });
  }

  /** Records a death (持卡人死亡), with the evidence seen (e.g. the death certificate's number). */
  async recordDeath(
    id: string,
    input: { diedOn: string; evidence: string },
    ctx: ActContext,
  ): Promise<Person> {
    if (input.diedOn > this.today())
      throw new DomainError('VALIDATION', { summary: 'diedOn is in the future' });
    const person = await this.personAct(
      id,
      ctx,
      'person.record_death',
      async ({ trx, now, current }) => {
        if (current.diedOn) throw new DomainError('PERSON_DECEASED');
        if (input.diedOn < current.birthDate)
          throw new DomainError('VALIDATION', { summary: 'diedOn is before the birth date' });
        const next: Person = { ...current, diedOn: input.diedOn, deathEvidence: input.evidence };
        next.version = await this.repo.update(trx, next, now);
        return { result: next };
      },
    );
    await this.onDeath(id, ctx.requestId);
    return person;
  }

  async setPhoto(
    id: string,
    bytes: Buffer,
    ctx: ActContext,
  ): Promise<{ photoId: string; contentType: string; width: number; height: number }> {
    // Decoded and re-encoded: what is stored is our JPEG, never the uploaded bytes.
    const info = await encodePhoto(bytes, this.deps.config.photo);
    const photoId = uuidv7();
    const photo = {
      photoId,
      contentType: info.contentType,
      width: info.width,
      height: info.height,
    };
    await this.personAct(
      id,
      ctx,
      'person.photo',
      async ({ trx, now, current }) => {
        await this.repo.insertPhoto(trx, {
          id: photoId,
          personId: id,
          contentType: info.contentType,
          bytes: info.bytes,
          width: info.width,
          height: info.height,
          sha256: info.sha256,
          at: now,
        });
        await this.repo.update(trx, { ...current, photoId }, now);
        return { result: { ...current, photoId }, details: { photoId } };
      },
      () => photo,
    );
    return photo;
  }

  async readPhoto(id: string, ctx: ActContext): Promise<{ contentType: string; bytes: Buffer }> {
    const person = await this.readFull(id, ctx, 'person.read_photo');
    const photo = person.photoId ? await this.repo.findPhoto(person.photoId) : undefined;
    if (!photo) throw new DomainError('NOT_FOUND', { resource: 'photo' });
    return photo;
  }

  /** One act on one person's record, through the act step; the answer is the masked record. */
  private personAct(
    id: string,
    ctx: ActContext,
    name: 'person.update' | 'person.record_death' | 'person.photo',
    fn: (s: { trx: Trx; now: Date; current: Person }) => Promise<{
      result: Person;
      details?: AuditEntry['details'];
    }>,
    present: (p: Person) => unknown = (p) => presentPerson(p, false),
  ): Promise<Person> {
    return this.deps.acts.run(ctx, {
      name,
      resource: 'person',
      load: (trx) => this.repo.findById(id, trx, true),
      target: (p: Person) => personTarget(p),
      apply: async ({ trx, now, loaded }) => fn({ trx, now, current: loaded }),
      present,
    });
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
