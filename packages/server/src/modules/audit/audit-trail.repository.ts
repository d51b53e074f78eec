/** Reading the trail: an auditor's search, and everything recorded about one holder. */
import type { DataScope } from '@sscard/domain';
import type { Database } from '../../db/database.js';
import { pageOf } from '../../db/paging.js';
import { auditScopePredicate } from './audit.queries.js';
import type { AuditSearch } from './audit.service.js';

export class AuditTrailRepository {
  constructor(private readonly db: Database) {}

  /** A page of the trail within the reader's scope, newest first, and how many records match. */
  async search(scope: DataScope, f: AuditSearch) {
    let q = this.db.selectFrom('audit_log as a');
    if (scope.kind !== 'all') q = q.where(auditScopePredicate(scope, 'a'));
    if (f.targetType) q = q.where('a.target_type', '=', f.targetType);
    if (f.targetId) q = q.where('a.target_id', '=', f.targetId);
    if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
    if (f.action) q = q.where('a.action', '=', f.action);
    if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
    if (f.from) q = q.where('a.at', '>=', new Date(f.from));
    if (f.to) q = q.where('a.at', '<', new Date(f.to));
    const { items: rows, total: count } = await pageOf(
      q,
      (p) => p.selectAll('a').orderBy('a.at', 'desc').orderBy('a.id', 'desc'),
      f,
    );
    return { rows, count };
  }

  /**
   * Records about a person, their cards and their applications. Two look-ups by person first
   * (their shard), then the trail by target: no join across distributed tables.
   */
  async aboutPerson(personId: string, paging: { limit: number; offset: number }) {
    const db = this.db;
    const cards = (
      await db.selectFrom('cards').select('card_no').where('person_id', '=', personId).execute()
    ).map((c) => c.card_no);
    const applications = (
      await db.selectFrom('applications').select('id').where('person_id', '=', personId).execute()
    ).map((a) => a.id);
    const kinds = new Map<string, 'person' | 'card' | 'application'>([[personId, 'person']]);
    for (const c of cards) kinds.set(c, 'card');
    for (const a of applications) kinds.set(a, 'application');

    const q = db
      .selectFrom('audit_log as a')
      .leftJoin('organizations as o', 'o.id', 'a.actor_org_id')
      .where((eb) => {
        const ors = [
          eb.and([eb('a.target_type', '=', 'person'), eb('a.target_id', '=', personId)]),
          // A refused request is on the record with the id from its path and no target type.
          eb.and([eb('a.target_type', 'is', null), eb('a.target_id', 'in', [...kinds.keys()])]),
        ];
        if (cards.length)
          ors.push(eb.and([eb('a.target_type', '=', 'card'), eb('a.target_id', 'in', cards)]));
        if (applications.length)
          ors.push(
            eb.and([
              eb('a.target_type', '=', 'application'),
              eb('a.target_id', 'in', applications),
            ]),
          );
        return eb.or(ors);
      });
    const { items: rows, total: count } = await pageOf(
      q,
      (p) =>
        p
          .select([
            'a.at',
            'a.action',
            'a.outcome',
            'a.code',
            'a.target_type',
            'a.target_id',
            'a.actor_id',
            'a.actor_username',
            'a.actor_role',
            'a.reason',
            'o.name as organization_name',
          ])
          .orderBy('a.at', 'desc')
          .orderBy('a.id', 'desc'),
      { limit: paging.limit, offset: paging.offset },
    );
    return { kinds, rows, count };
  }
}
