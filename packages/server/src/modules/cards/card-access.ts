/**
 * Who may see and act on a card. Anyone whose scope covers the holder (the branch that served
 * them, its bank, the centre of the jurisdiction); and, because a holder may walk into any
 * counter of the jurisdiction to report a loss or reset a PIN (FZ-32: 任意一家营业网点), counter
 * staff of the card's jurisdiction too. Serving a holder links them to that counter.
 */
import { DomainError } from '@sscard/domain';
import type { Actor } from '../../context.js';
import type { Trx } from '../../db/transact.js';
import type { Database } from '../../db/database.js';
import type { PersonsRepository } from '../persons/persons.repository.js';

const COUNTER_ROLES = new Set(['branch_operator', 'community_operator']);

export async function requireCardAccess(
  persons: PersonsRepository,
  actor: Actor,
  card: { person_id: string; jurisdiction: string },
  db: Database | Trx,
): Promise<void> {
  if (await persons.inScope(card.person_id, actor.scope, db)) return;
  if (COUNTER_ROLES.has(actor.role) && actor.jurisdiction === card.jurisdiction) return;
  throw new DomainError('NOT_FOUND', { resource: 'card' });
}
