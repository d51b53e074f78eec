/**
 * The audit duties besides writing records: searching the trail (auditors, within their scope),
 * the export for an auditor (itself an audited act), a holder's access log, and pruning past the
 * retention period (retention.ts).
 */
import { DomainError, type DataScope, type Locale } from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Deps } from '../../deps.js';
import { personTarget } from '../persons/persons.access.js';
import type { PersonsRepository } from '../persons/persons.repository.js';
import {
  presentAccessLog,
  presentCheckEntry,
  type AccessLogEntry,
  type CheckEntry,
} from './access-log.presenter.js';
import { toArchiveRecord, writeArchive, type WrittenArchive } from './archive.js';
import { periodRows, type PeriodFilter } from './audit.queries.js';
import { verifyAuditChain } from './verify.js';
import { pruneAudit, type PruneOptions, type PruneReport } from './retention.js';

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
    this.persons = deps.repos.persons;
  }

  /** A page of the trail within the reader's scope, newest first, and how many records match. */
  search(scope: DataScope, f: AuditSearch) {
    return this.deps.repos.auditTrail.search(scope, f);
  }

  /**
   * An auditor's check of the whole trail: the chains are walked first (a long read, outside any
   * transaction), then the check and its finding are recorded as an act of the auditor's.
   */
  async check(ctx: ActContext) {
    const report = await verifyAuditChain(this.deps.db);
    const first = report.firstBreak;
    const summary = {
      records: report.records,
      shards: report.shards,
      pruned: report.pruned,
      intact: first === null,
      breaks: report.breaks.length,
      firstBreak: first ? { shard: first.shard, seq: first.seq, problem: first.problem } : null,
    };
    await this.deps.acts.run(ctx, {
      name: 'audit.check',
      resource: 'audit',
      load: async () => summary,
      target: () => ({ type: 'audit', id: null, jurisdiction: null }),
      apply: async () => ({
        result: summary,
        details: {
          records: summary.records,
          intact: summary.intact,
          breaks: summary.breaks,
          firstBreak: first ? `shard ${first.shard}, record ${first.seq}` : null,
        },
        ...(first ? { outcome: 'error' as const } : {}),
      }),
    });
    return summary;
  }

  /**
   * The export is on the record before the first line is sent, so an export that is cut off is
   * still known: who, which period, which scope.
   */
  async recordExport(ctx: ActContext, period: ExportPeriod, target: string | null = null) {
    checkPeriod(period);
    const scope = ctx.actor?.scope ?? { kind: 'all' };
    await this.deps.acts.record(
      ctx,
      'audit.export',
      { type: 'audit', id: null, jurisdiction: null },
      {
        details: {
          from: period.from.toISOString(),
          to: period.to.toISOString(),
          scope: scope.kind === 'all' ? 'all' : JSON.stringify(scope),
          file: target,
        },
      },
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
    ctx: ActContext,
    personId: string,
    paging: { limit: number; offset: number },
    locale: Locale,
  ): Promise<{ items: AccessLogEntry[]; total: number; checks: CheckEntry[] }> {
    const { db } = this.deps;
    const person = await this.persons.findById(personId);
    if (!person) throw new DomainError('NOT_FOUND', { resource: 'person' });
    await this.deps.access.require(
      db,
      ctx.actor,
      'person.access_log',
      personTarget(person),
      this.deps.clock.now(),
    );
    const { kinds, rows, count } = await this.deps.repos.auditTrail.aboutPerson(personId, paging);
    const checks = await this.deps.repos.verification.checksOfPerson(personId, 50);
    return {
      items: rows.map((r) =>
        presentAccessLog(
          r,
          { type: kinds.get(r.target_id ?? '') ?? 'person', id: r.target_id ?? personId },
          locale,
        ),
      ),
      total: count,
      checks: checks.map((c) => presentCheckEntry(c, locale)),
    };
  }
}
