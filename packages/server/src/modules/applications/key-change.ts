/**
 * Key information changes (关键信息变更): a new name, a new identity document or SSN, a new photo.
 * With proof (HN-23, FZ-30), the person's record changes, and for each card they hold whose rules
 * treat that field as key, a new card is applied for in the same transaction: a change (换领,
 * ZS-14, SG-17, FZ-33) or a reissue (换发 / 重新申领, SH-22, HN-23), as the pack says.
 */
import {
  DomainError,
  checkName,
  citationOf,
  checkInfoChange,
  parseIdDocument,
  placeOf,
  shanghaiDate,
  type ChangeReason,
  type IdDocumentType,
} from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { isUniqueViolation } from '../../deps.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import type { CardsRepository } from '../cards/cards.repository.js';
import { personTarget } from '../persons/persons.access.js';
import { presentPerson } from '../persons/persons.presenter.js';
import type { Person, PersonsRepository } from '../persons/persons.repository.js';
import type { ApplicationRow } from './applications.repository.js';
import type { ApplicationsService } from './applications.service.js';

export interface KeyChangeInput {
  name?: string | undefined;
  idType?: IdDocumentType | undefined;
  idNumber?: string | undefined;
  /** A new photo was taken (uploaded with PUT /persons/{id}/photo). */
  photoChanged?: boolean | undefined;
  /** What proves the change: the police certificate, the new document (HN-23, FZ-30). */
  proof?: string | undefined;
  production?: 'instant' | 'batch' | undefined;
}

type Field = 'name' | 'id_type' | 'id_number' | 'ssn' | 'photo';

const REASONS: Record<Field, ChangeReason> = {
  name: 'name_changed',
  id_type: 'id_type_changed',
  id_number: 'ssn_changed',
  ssn: 'ssn_changed',
  photo: 'photo_changed',
};

export class KeyChangeService {
  private readonly persons: PersonsRepository;
  private readonly cards: CardsRepository;

  constructor(
    private readonly deps: Deps,
    private readonly applications: ApplicationsService,
  ) {
    this.persons = deps.repos.persons;
    this.cards = deps.repos.cards;
  }

  async change(
    personId: string,
    input: KeyChangeInput,
    ctx: ActContext,
  ): Promise<{ person: Person; applications: ApplicationRow[] }> {
    const prepared = await this.applications.prepare();
    try {
      return await this.deps.acts.run(ctx, {
        name: 'person.key_change',
        resource: 'person',
        load: (trx) => this.persons.findById(personId, trx, true),
        // Key information is changed where the person is registered: it may apply for new cards.
        target: (p: Person) => personTarget(p, p.jurisdiction),
        apply: async ({ trx, now, loaded: current }) => {
          const next: Person = { ...current };
          const changed = new Set<Field>();
          if (input.name !== undefined && input.name !== current.name) {
            checkName(input.name, current.nationality !== 'CHN');
            next.name = input.name;
            changed.add('name');
          }
          if (input.idNumber !== undefined) {
            const doc = parseIdDocument(
              input.idType ?? current.idType,
              input.idNumber,
              shanghaiDate(now),
            );
            if (doc.type !== current.idType) changed.add('id_type');
            if (doc.number !== current.idNumber) changed.add('id_number');
            if (doc.ssn && doc.ssn !== current.ssn) {
              changed.add('ssn');
              next.ssn = doc.ssn;
            }
            next.idType = doc.type;
            next.idNumber = doc.number;
          }
          if (input.photoChanged) changed.add('photo');
          if (changed.size === 0) throw new DomainError('KEY_CHANGE_NOTHING');
          await this.persons.updateKeyFields(trx, next, now);

          const created: ApplicationRow[] = [];
          const more: AuditEntry[] = [];
          for (const card of await this.cards.listForPerson(personId, trx)) {
            if (card.kind !== 'regular' || card.status !== 'issued') continue;
            const { pack } = this.deps.rules.resolve(card.jurisdiction, now);
            const keyFields = pack.infoChange.keyFields.value as readonly string[];
            const relevant = [...changed].filter(
              (f) => keyFields.includes(f) || (f === 'id_number' && keyFields.includes('ssn')),
            );
            if (!relevant.length) continue;
            // Key information is changed where the card's pack says (ZS-14, SG-17, HN-23, FZ-30).
            checkInfoChange(
              pack,
              relevant,
              placeOf('counter', ctx.actor?.organizationKind ?? null),
            );
            if (pack.infoChange.proofRequired.value && !input.proof) {
              throw new DomainError(
                'KEY_CHANGE_PROOF_REQUIRED',
                {},
                citationOf(pack.infoChange.proofRequired.source),
              );
            }
            const kind = pack.infoChange.keyChangeLeadsTo.value;
            const allowed = (kind === 'change' ? pack.change : pack.reissue).reasons
              .value as readonly string[];
            const reason =
              relevant.map((f) => REASONS[f]).find((r) => allowed.includes(r)) ??
              (allowed.includes('other') ? 'other' : undefined);
            const { app, details } = await this.applications.submitIn(
              trx,
              now,
              next,
              {
                personId,
                kind,
                ...(reason ? { reason } : {}),
                oldCardNo: card.card_no,
                production: input.production ?? 'batch',
                consentToDelay: true,
              },
              card.jurisdiction,
              card.branch_id!,
              ctx,
              prepared,
            );
            created.push(app);
            more.push({
              action: 'application.submit',
              targetType: 'application',
              targetId: app.id,
              jurisdiction: app.jurisdiction,
              details,
            });
          }
          return {
            result: { person: { ...next, updatedAt: now }, applications: created },
            details: {
              fields: [...changed].join(','),
              applications: created.map((a) => a.id).join(','),
            },
            more,
          };
        },
        present: async (result, trx, now) => ({
          person: presentPerson(result.person, false),
          applications: await Promise.all(
            result.applications.map((a) => this.applications.present(a, now, trx)),
          ),
        }),
      });
    } catch (e) {
      if (isUniqueViolation(e, 'person_keys_pkey'))
        throw new DomainError('PERSON_EXISTS', { key: 'id_document' });
      throw e;
    }
  }
}
