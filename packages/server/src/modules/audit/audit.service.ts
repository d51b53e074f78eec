/**
 * The audit duties besides writing records: searching the trail (auditors, within their scope),
 * the export for an auditor (itself an audited act), a holder's access log, and pruning past the
 * retention period (retention.ts).
 */
import { DomainError, type DataScope, type Locale } from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { PersonsRepository } from '../persons/persons.repository.js';
import { presentAccessLog, type AccessLogEntry } from './access-log.presenter.js';
import { toArchiveRecord, writeArchive, type WrittenArchive } from './archive.js';
import { auditScopePredicate, periodRows, type PeriodFilter } from './audit.queries.js';
import { pruneAudit, type PruneOptions, type PruneReport } from './retention.js';
import { countOf } from '../../db/paging.js';

export interface AuditSearch {
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  outcome?: 'success' | 'refused' | 'error' | undefined;
  /** RFC 3339 instants: from inclusive, to exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export interface ExportPeriod {
  from: Date;
  to: Date;
}

function checkPeriod(p: ExportPeriod): void {
  if (!(p.from < p.to))
    throw new DomainError('VALIDATION', { summary: '`from` must be before `to`' });
}

export class AuditService {
  private readonly persons: PersonsRepository;

  constructor(private readonly deps: Deps) {
    this.persons = new PersonsRepository(deps.db, deps.keyring);
  }

  /** A page of the trail within the reader's scope, newest first, and how many records match. */
  async search(scope: DataScope, f: AuditSearch) {
    let q = this.deps.db.selectFrom('audit_log as a');
    if (scope.kind !== 'all') q = q.where(auditScopePredicate(scope, 'a'));
    if (f.targetType) q = q.where('a.target_type', '=', f.targetType);
    if (f.targetId) q = q.where('a.target_id', '=', f.targetId);
    if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
    if (f.action) q = q.where('a.action', '=', f.action);
    if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
    if (f.from) q = q.where('a.at', '>=', new Date(f.from));
    if (f.to) q = q.where('a.at', '<', new Date(f.to));
    const [rows, count] = await Promise.all([
      q
        .selectAll('a')
        .orderBy('a.at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      countOf(q),
    ]);
    return { rows, count };
  }

  /**
   * The export is on the record before the first line is sent, so an export that is cut off is
   * still known: who, which period, which scope.
   */
  async recordExport(ctx: ActContext, period: ExportPeriod, target: string | null = null) {
    checkPeriod(period);
    const scope = ctx.actor?.scope ?? { kind: 'all' };
    await this.deps.db.transaction().execute((trx) =>
      this.deps.audit.append(
        trx,
        ctx,
        {
          action: 'audit.export',
          targetType: 'audit',
          targetId: null,
          details: {
            from: period.from.toISOString(),
            to: period.to.toISOString(),
            scope: scope.kind === 'all' ? 'all' : JSON.stringify(scope),
            file: target,
          },
        },
        this.deps.clock.now(),
      ),
    );
  }

  /** JSON Lines of the period within the reader's scope, in (shard, seq) order. */
  async *exportLines(filter: PeriodFilter): AsyncGenerator<string> {
    for await (const row of periodRows(this.deps.db, filter))
      yield `${JSON.stringify(toArchiveRecord(row))}\n`;
  }

  /** `sscard audit export`: the period to a file, with a manifest line first. */
  async exportToFile(ctx: ActContext, period: ExportPeriod, file: string): Promise<WrittenArchive> {
    await this.recordExport(ctx, period, file);
    return writeArchive(
      file,
      {
        kind: 'export',
        createdAt: this.deps.clock.now().toISOString(),
        from: period.from.toISOString(),
        to: period.to.toISOString(),
      },
      periodRows(this.deps.db, { ...period, scope: ctx.actor?.scope ?? { kind: 'all' } }),
    );
  }

  prune(ctx: ActContext, options: PruneOptions = {}): Promise<PruneReport> {
    return pruneAudit(this.deps, ctx, options);
  }

  /**
   * Who read or changed a person's record, cards or applications, newest first. Not itself
   * audited: it shows no personal data beyond a masked read (which is not audited either), and a
   * holder reading their own log would otherwise fill it with their own reads.
   */
  async accessLog(
    scope: DataScope,
    personId: string,
    paging: { limit: number; offset: number },
    locale: Locale,
  ): Promise<{ items: AccessLogEntry[]; total: number }> {
    const { db } = this.deps;
    const person = await db
      .selectFrom('persons')
      .select('id')
      .where('id', '=', personId)
      .executeTakeFirst();
    if (!person || !(await this.persons.inScope(personId, scope)))
      throw new DomainError('NOT_FOUND', { resource: 'person' });
    // Two look-ups by person first (their shard), then the trail by target: no join across
    // distributed tables.
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
    const [rows, count] = await Promise.all([
      q
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
        .orderBy('a.id', 'desc')
        .limit(paging.limit)
        .offset(paging.offset)
        .execute(),
      countOf(q),
    ]);
    return {
      items: rows.map((r) =>
        presentAccessLog(
          r,
          { type: kinds.get(r.target_id ?? '') ?? 'person', id: r.target_id ?? personId },
          locale,
        ),
      ),
      total: count,
    };
  }
}
