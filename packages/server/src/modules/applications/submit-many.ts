/**
 * Many first applications at once (a unit's roster chunk, FZ-18, HN-9): the same decision as a
 * counter's submission (`decideSubmission`) for each applicant, with the facts read for the whole
 * chunk in a few queries and the writes made in a few multi-row statements, so a roster of
 * 100,000 rows does not cost a million round trips. What `submitIn` writes one by one is written
 * here row for row the same: the application in its final status (checking, approved or in
 * production with its card), its checks, its due date and the batch card.
 *
 * Anything unusual is left to the one-by-one path: an old card to hand back (`oldCardNo`) is
 * refused here with `OneByOne`, and a unique violation (someone registered the same person or
 * application meanwhile) fails the statement; the caller rolls back to its savepoint and goes one
 * by one, where each such row gets its own refusal.
 */
import { DomainError, dueAfter } from '@sscard/domain';
import type { Insertable } from 'kysely';
import type { ActContext } from '../../context.js';
import type { ApplicationsTable } from '../../db/schema.js';
import type { Trx } from '../../db/transact.js';
import type { Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import { groupBy } from '../../lists.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import type { CardsRepository } from '../cards/cards.repository.js';
import { planBatchCards, type ProductionContext } from '../cards/production.js';
import type { OrganizationsRepository } from '../organizations/organizations.repository.js';
import type { Person, PersonsRepository } from '../persons/persons.repository.js';
import type { ApplicationsRepository } from './applications.repository.js';
import {
  cardBranch,
  checkRows,
  decideSubmission,
  submittedRow,
  type Prepared,
  type SubmitInput,
} from './applications.service.js';

/** Thrown when the chunk needs the one-by-one path (see the file's comment). */
export class OneByOne extends Error {}

export interface ManyItem {
  person: Person;
  /** A person not yet in the register: written with the application, only when it is accepted. */
  created: boolean;
  input: SubmitInput;
}

export type ManyResult =
  | { ok: true; applicationId: string; details: AuditEntry['details'] }
  | { ok: false; error: DomainError };

export interface ManyDeps {
  repo: ApplicationsRepository;
  cards: CardsRepository;
  orgs: OrganizationsRepository;
  persons: PersonsRepository;
  rules: Deps['rules'];
  production: ProductionContext;
}

export async function submitMany(
  x: ManyDeps,
  trx: Trx,
  now: Date,
  items: ManyItem[],
  jurisdiction: string,
  branchId: string,
  ctx: ActContext,
  prepared: Prepared,
): Promise<ManyResult[]> {
  const actor = ctx.actor!;
  const { pack } = x.rules.resolve(jurisdiction, now);
  const branch = await cardBranch(x.orgs, trx, branchId, pack);
  if (items.some((i) => i.input.oldCardNo)) throw new OneByOne('an old card goes one by one');
  const known = items.filter((i) => !i.created).map((i) => i.person.id);
  const cardsOf = groupBy(await x.cards.listForPersons(known, trx), (c) => c.person_id);
  const openOf = groupBy(
    await x.repo.openForPersons(trx, known, pack.divisionCode),
    (a) => a.person_id,
  );

  const results: ManyResult[] = [];
  const apps: Insertable<ApplicationsTable>[] = [];
  const checks: ReturnType<typeof checkRows> = [];
  const toMake: { app: Insertable<ApplicationsTable>; person: Person }[] = [];
  const newPersons: Person[] = [];
  // One clock reading for the chunk, so one due date per limit: the calendar walk is done once.
  const dueOf = new Map<string, ReturnType<typeof dueAfter>>();
  const dueFor = (limit: Parameters<typeof dueAfter>[1]) => {
    const key = `${limit.amount} ${limit.unit}`;
    let d = dueOf.get(key);
    if (!d) dueOf.set(key, (d = dueAfter(now, limit, prepared.calendar)));
    return d;
  };
  for (const item of items) {
    const { person, input } = item;
    const here = (cardsOf.get(person.id) ?? []).filter((c) => c.jurisdiction === pack.divisionCode);
    const open = openOf.get(person.id) ?? [];
    let decided: ReturnType<typeof decideSubmission>;
    try {
      decided = decideSubmission(
        pack,
        person,
        { branch, here, open, oldRow: undefined },
        input,
        actor,
        now,
        prepared,
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      results.push({ ok: false, error: e });
      continue;
    }
    const id = uuidv7();
    const row = submittedRow(x.repo, id, person, input, branch, decided, actor, now, undefined);
    const { deadline } = decided.decision;
    if (deadline) {
      const { due, warnings } = dueFor(deadline.limit);
      row.due_at = due;
      row.due = JSON.stringify({ limit: deadline.limit, citation: deadline.citation, warnings });
    }
    // As `writeSubmission`: pending checks wait; otherwise approved, and a batch card is made.
    if (decided.checks.some((c) => c.pending)) row.status = 'checking';
    else {
      row.approved_at = now;
      row.status = decided.production === 'instant' ? 'approved' : 'in_production';
      if (row.status === 'in_production') toMake.push({ app: row, person });
    }
    apps.push(row);
    checks.push(...checkRows(id, decided.checks, actor, now));
    if (item.created) newPersons.push(person);
    results.push({
      ok: true,
      applicationId: id,
      details: {
        kind: input.kind,
        channel: decided.channel,
        production: decided.production,
        status: row.status,
        feeFen: decided.fee.amountFen,
        personId: person.id,
      },
    });
  }

  const cards = await planBatchCards(
    x.production,
    trx,
    toMake.map(({ app, person }) => ({
      app: {
        id: app.id,
        person_id: app.person_id,
        jurisdiction: app.jurisdiction,
        bank_id: app.bank_id,
        branch_id: app.branch_id,
        kind: app.kind,
      },
      person,
    })),
    now,
  );
  const cardOf = new Map(cards.map((c) => [c.application_id, c.card_no]));
  for (const { app } of toMake) app.card_no = cardOf.get(app.id!) ?? null;
  await x.persons.insertMany(trx, newPersons, actor.organizationId);
  await x.repo.insertMany(trx, apps);
  await x.repo.insertChecks(trx, checks);
  await x.cards.insertMany(trx, cards);
  return results;
}
