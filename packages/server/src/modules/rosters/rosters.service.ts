/**
 * Unit batch applications from rosters (FZ-18, HN-9; refused where the pack names no unit
 * bringing applications, SH-9). See docs/ROSTERS.md.
 *
 * - `upload` is one act (`roster.import`): it reads the whole file once (caps, header, row count),
 *   refuses what cannot be imported at all, keeps the file sealed, and enqueues the import job
 *   in the same transaction. The same file from the same unit answers with the first roster.
 * - `run` is the job (`roster.import`): it streams the file's rows and imports them in chunks of
 *   `chunkRows`; each chunk is ONE act (`roster.import_chunk`) that validates every row, turns
 *   each good one into an application through the applications service (`submitIn`: the same
 *   domain decision as a counter's, channel `unit`), writes the rows' outcomes with one multi-row
 *   INSERT, writes an audit record per created person and application, and moves the roster's
 *   cursor, all in one transaction. A crash loses at most the chunk in flight; the job resumes
 *   after the cursor and rows are idempotent by (roster_id, row_no).
 */
import { createHash } from 'node:crypto';
import {
  DomainError,
  checkName,
  checkPhone,
  citationOf,
  parseIdDocument,
  placeOfActor,
  renderError,
  shanghaiDate,
} from '@sscard/domain';
import type { ActContext, Actor } from '../../context.js';
import type { Deps } from '../../deps.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Trx } from '../../db/transact.js';
import type { Target } from '../../acts/access.js';
import type { Applied } from '../../acts/act-step.js';
import type { Queue, QueueHandler } from '../../jobs/queue.js';
import { readCsv } from '../../files/csv-read.js';
import { readXlsx } from '../../files/xlsx-read.js';
import { FileRefused, type SheetRow } from '../../files/read-limits.js';
import type { AuditEntry } from '../audit/audit.repository.js';
import type {
  ApplicationsService,
  Prepared,
  SubmitInput,
} from '../applications/applications.service.js';
import { OneByOne, type ManyItem } from '../applications/submit-many.js';
import { documentKey, type Person } from '../persons/persons.repository.js';
import { FIELD_LABELS, findColumns, type RosterColumns } from './roster-columns.js';
import type { RosterRow, RostersRepository } from './rosters.repository.js';
import { presentRoster } from './rosters.presenter.js';
import { actorKey } from '../queue/queue.service.js';
import { turnIfDue } from '../../event-loop.js';

export const ROSTER_JOB = 'roster.import';

export interface UploadInput {
  bytes: Uint8Array;
  filename: string;
  kind: 'xlsx' | 'csv';
  jurisdiction?: string | undefined;
  unitOrganizationId?: string | undefined;
  unitName?: string | undefined;
  unitCode?: string | undefined;
  bankId: string;
  branchId: string;
}

export interface ImportSummary extends Record<string, unknown> {
  rosterId: string;
  total: number;
  accepted: number;
  refused: number;
}

/** What one row came to. */
interface Outcome {
  row_no: number;
  outcome: 'accepted' | 'refused';
  code: string | null;
  message_zh: string | null;
  message_en: string | null;
  rule: string | null;
  person_id: string | null;
  application_id: string | null;
}

export function rosterTarget(r: RosterRow): Target {
  return {
    type: 'roster',
    id: r.id,
    jurisdiction: r.jurisdiction,
    bankId: r.bank_id,
    branchId: r.branch_id,
  };
}

export function readRows(kind: 'xlsx' | 'csv', bytes: Uint8Array): Generator<SheetRow> {
  return kind === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}

const unreadable = (e: FileRefused) =>
  new DomainError('ROSTER_FILE_UNREADABLE', { why: e.message });

/** An actor kept with the roster: ids and role only (the chunks act as the uploader). */
function storedActor(a: Actor): Actor {
  return {
    staffId: a.staffId,
    username: a.username,
    role: a.role,
    organizationId: a.organizationId,
    organizationKind: a.organizationKind,
    bankId: a.bankId,
    jurisdiction: a.jurisdiction,
    scope: a.scope,
    sessionId: null,
    ...(a.permissions ? { permissions: a.permissions } : {}),
  };
}

export class RostersService {
  private readonly repo: RostersRepository;
  /** Rows per chunk act (SSCARD_ROSTER_CHUNK_ROWS, default 500). */
  chunkRows: number;

  constructor(
    private readonly deps: Deps,
    private readonly applications: ApplicationsService,
    private queue?: Queue,
  ) {
    this.repo = deps.repos.rosters;
    const n = Number(process.env.SSCARD_ROSTER_CHUNK_ROWS);
    this.chunkRows = Number.isInteger(n) && n > 0 ? n : 500;
  }

  /** Registers the import job on the queue (services.ts calls this once the queue exists). */
  useQueue(queue: Queue): void {
    this.queue = queue;
    queue.register(ROSTER_JOB, this.handler);
  }

  readonly handler: QueueHandler = async (job, env) => {
    const rosterId = String(job.payload.rosterId);
    return this.run(rosterId, {
      progress: (d, t) => env.progress(d, t),
      signal: env.signal,
      jobId: job.id,
    });
  };

  // ---- reads ---------------------------------------------------------------------------------

  async get(id: string, ctx: ActContext): Promise<RosterRow> {
    const r = await this.repo.find(id);
    if (!r) throw new DomainError('NOT_FOUND', { resource: 'roster' });
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'roster.read',
      rosterTarget(r),
      this.deps.clock.now(),
    );
    return r;
  }

  /** A page of the rosters in the actor's scope, and how many there are in all. */
  async list(
    ctx: ActContext,
    page: { limit: number; offset: number },
  ): Promise<{ items: RosterRow[]; total: number }> {
    const a = ctx.actor!;
    const { items: rows, total } = await this.repo.list(
      {
        jurisdictions: a.jurisdiction ? [a.jurisdiction] : null,
        bankId: a.organizationKind === 'bank' || a.organizationKind === 'branch' ? a.bankId : null,
      },
      page,
    );
    const now = this.deps.clock.now();
    const visible: RosterRow[] = [];
    for (const r of rows)
      if (await this.deps.access.can(this.deps.db, a, 'roster.read', rosterTarget(r), now))
        visible.push(r);
    return { items: visible, total };
  }

  rows(
    id: string,
    outcome: 'accepted' | 'refused' | undefined,
    page: { limit: number; offset: number },
  ) {
    return this.repo.rows(id, outcome, page);
  }

  countRows(id: string, outcome?: 'accepted' | 'refused') {
    return this.repo.countRows(id, outcome);
  }

  /** Each data row of the file with its outcome, in file order (the report). */
  async *report(
    r: RosterRow,
  ): AsyncGenerator<{ cells: string[]; line: Outcome | undefined; rowNo: number }> {
    const bytes = await this.repo.file(r.id);
    if (!bytes) return;
    const columns = r.columns as RosterColumns | null;
    const outcomes = this.repo.allRows(r.id);
    let next = await outcomes.next();
    let header = true;
    for (const row of readRows(r.file_kind, bytes)) {
      if (header) {
        header = false;
        continue;
      }
      while (!next.done && next.value.row_no < row.rowNo) next = await outcomes.next();
      const line =
        !next.done && next.value.row_no === row.rowNo ? (next.value as Outcome) : undefined;
      const cells = columns
        ? [
            row.cells[columns.name] ?? '',
            row.cells[columns.idNumber] ?? '',
            row.cells[columns.phone] ?? '',
          ]
        : row.cells;
      yield { cells, line, rowNo: row.rowNo };
    }
  }

  // ---- the upload ----------------------------------------------------------------------------

  /** Reads the whole file once: the caps, the header's columns, the number of data rows. */
  private async inspect(input: UploadInput): Promise<{ columns: RosterColumns; total: number }> {
    let columns: RosterColumns | null = null;
    let total = 0;
    try {
      for (const row of readRows(input.kind, input.bytes)) {
        await turnIfDue(); // a 200,000-row workbook is ~2 s of parsing: others get turns
        if (!columns) {
          const found = findColumns(row.cells);
          if (!found.columns)
            throw new DomainError('ROSTER_COLUMNS_MISSING', {
              columns: found.missing
                .map((f) => `${FIELD_LABELS[f].zh}/${FIELD_LABELS[f].en}`)
                .join(', '),
            });
          columns = found.columns;
        } else total++;
      }
    } catch (e) {
      if (e instanceof FileRefused) throw unreadable(e);
      throw e;
    }
    if (!columns) throw new DomainError('ROSTER_FILE_UNREADABLE', { why: 'the file is empty' });
    return { columns, total };
  }

  async upload(ctx: ActContext, input: UploadInput): Promise<RosterRow> {
    const actor = ctx.actor!;
    const jurisdiction = this.deps.jurisdictions.resolve(
      input.jurisdiction ?? actor.jurisdiction ?? '',
    ).code;
    const now0 = this.deps.clock.now();
    const { pack } = this.deps.rules.resolve(jurisdiction, now0);
    const inspected = await this.inspect(input);
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const unitKey = input.unitOrganizationId
      ? `org:${input.unitOrganizationId}`
      : input.unitCode
        ? `code:${input.unitCode.trim().toUpperCase()}`
        : `name:${(input.unitName ?? '').trim()}`;
    if (unitKey === 'name:')
      throw new DomainError('VALIDATION', {
        summary: 'name the unit: unitName, unitCode or unitOrganizationId',
      });
    const orgs = this.deps.repos.organizations;
    return this.deps.acts.run(ctx, {
      name: 'roster.import',
      resource: 'bank',
      load: async (trx) => {
        const branch = await orgs.findById(input.branchId, trx);
        const bank = await orgs.findById(input.bankId, trx);
        if (!bank || bank.kind !== 'bank') return undefined;
        return { bank, branch };
      },
      target: () => ({
        type: 'roster',
        id: null,
        jurisdiction,
        bankId: input.bankId,
        branchId: input.branchId,
      }),
      apply: async ({ trx, now, loaded: { branch } }): Promise<Applied<RosterRow>> => {
        // SH-9: the applicant comes in person; a pack that names no unit refuses the batch.
        if (!pack.application.proxies.value.includes('unit'))
          throw new DomainError(
            'CHANNEL_NOT_OFFERED',
            { jurisdiction: pack.name.zh, channel: 'unit' },
            citationOf(pack.application.proxies.source),
          );
        if (
          !branch ||
          branch.kind !== 'branch' ||
          branch.bank_id !== input.bankId ||
          branch.jurisdiction !== jurisdiction ||
          branch.status !== 'active'
        )
          throw new DomainError('ROSTER_BRANCH_INVALID');
        if (input.unitOrganizationId) {
          const unit = await orgs.findById(input.unitOrganizationId, trx);
          if (!unit || unit.kind !== 'unit')
            throw new DomainError('NOT_FOUND', { resource: 'unit' });
        }
        const same = await this.repo.findSameFile(trx, jurisdiction, unitKey, sha256);
        if (same)
          return {
            result: same,
            details: { duplicateOf: same.id },
            audited: { targetType: 'roster', targetId: same.id, jurisdiction },
          };
        const id = uuidv7();
        await this.repo.insert(
          trx,
          {
            id,
            jurisdiction,
            unit_organization_id: input.unitOrganizationId ?? null,
            unit_name: input.unitName?.trim() || null,
            unit_code: input.unitCode?.trim() || null,
            bank_id: input.bankId,
            branch_id: input.branchId,
            filename: input.filename,
            file_kind: input.kind,
            file_sha256: sha256,
            file_bytes: input.bytes.length,
            unit_key: unitKey,
            status: 'queued',
            job_id: null,
            total_rows: inspected.total,
            columns: JSON.stringify(inspected.columns),
            error: null,
            actor: JSON.stringify(storedActor(actor)),
            created_by: actor.staffId,
            created_at: now,
            finished_at: null,
            updated_at: now,
          },
          input.bytes,
        );
        if (this.queue) {
          const jobId = await this.queue.enqueue(
            trx,
            {
              kind: ROSTER_JOB,
              payload: { rosterId: id },
              jurisdiction,
              dedupeKey: `roster:${id}`,
            },
            actorKey(actor),
          );
          await this.repo.update(trx, id, { job_id: jobId }, now);
        }
        return {
          result: (await this.repo.find(id, trx))!,
          details: { rows: inspected.total, kind: input.kind, bytes: input.bytes.length },
          audited: { targetType: 'roster', targetId: id, jurisdiction },
        };
      },
      present: (r) => presentRoster(r),
      status: 201,
    });
  }

  // ---- the import job ------------------------------------------------------------------------

  /** Imports the roster's rows after its cursor, chunk by chunk; answers the summary. */
  async run(
    rosterId: string,
    env: {
      progress?: (done: number, total: number | null) => Promise<void>;
      signal?: AbortSignal;
      jobId?: string;
    } = {},
  ): Promise<ImportSummary> {
    const roster = await this.repo.find(rosterId);
    if (!roster) throw new Error(`no roster ${rosterId}`);
    const summary = (r: RosterRow): ImportSummary => ({
      rosterId: r.id,
      total: r.total_rows ?? 0,
      accepted: r.accepted,
      refused: r.refused,
    });
    if (roster.status === 'done' || roster.status === 'failed') return summary(roster);
    const bytes = await this.repo.file(rosterId);
    if (!bytes) throw new Error(`roster ${rosterId} has no file`);
    const columns = roster.columns as RosterColumns;
    const actor = roster.actor as Actor;
    const prepared = await this.applications.prepare();
    const seen = new Map<string, number>(); // ID number → first row (duplicates inside the file)
    let chunk: { row: SheetRow; dupOf: number | null }[] = [];
    let done = Math.max(0, roster.accepted + roster.refused);
    const flush = async (last: boolean) => {
      env.signal?.throwIfAborted();
      const ctx: ActContext = {
        actor,
        requestId: env.jobId ?? null,
        ip: null,
        reason: `roster ${rosterId}`,
        locale: 'zh-CN',
        audited: false,
      };
      const n = await this.importChunk(ctx, rosterId, columns, chunk, prepared, last);
      done += n;
      chunk = [];
      await env.progress?.(done, roster.total_rows);
    };
    let header = true;
    try {
      for (const row of readRows(roster.file_kind, bytes)) {
        if (header) {
          header = false;
          continue;
        }
        const id = (row.cells[columns.idNumber] ?? '').trim().toUpperCase();
        let dupOf: number | null = null;
        if (id) {
          const first = seen.get(id);
          if (first === undefined) seen.set(id, row.rowNo);
          else dupOf = first;
        }
        if (row.rowNo <= roster.cursor_row) continue; // committed before a crash
        chunk.push({ row, dupOf });
        if (chunk.length >= this.chunkRows) await flush(false);
      }
    } catch (e) {
      if (!(e instanceof FileRefused)) throw e;
      await this.fail(rosterId, e.message, actor, env.jobId);
      return summary((await this.repo.find(rosterId))!);
    }
    await flush(true);
    return summary((await this.repo.find(rosterId))!);
  }

  private async fail(rosterId: string, why: string, actor: Actor, jobId?: string): Promise<void> {
    await this.deps.acts.run(
      { actor, requestId: jobId ?? null, ip: null, reason: why, locale: 'zh-CN', audited: false },
      {
        name: 'roster.import_chunk',
        action: 'roster.import_failed',
        resource: 'roster',
        load: (trx) => this.repo.find(rosterId, trx, true),
        target: rosterTarget,
        apply: async ({ trx, now }) => {
          await this.repo.update(
            trx,
            rosterId,
            { status: 'failed', error: why.slice(0, 500), finished_at: now },
            now,
          );
          return { result: null, outcome: 'error' as const, details: { error: why.slice(0, 200) } };
        },
      },
    );
  }

  /**
   * ONE act for a chunk of rows: every row validated and, when good, made an application; the
   * outcomes written with one multi-row INSERT; an audit record per created person and
   * application; the cursor moved. Answers how many rows it recorded.
   */
  private async importChunk(
    ctx: ActContext,
    rosterId: string,
    columns: RosterColumns,
    rows: { row: SheetRow; dupOf: number | null }[],
    prepared: Prepared,
    last: boolean,
  ): Promise<number> {
    return this.deps.acts.run(ctx, {
      name: 'roster.import_chunk',
      resource: 'roster',
      load: (trx) => this.repo.find(rosterId, trx, true),
      target: rosterTarget,
      apply: async ({ trx, now, loaded: roster }) => {
        // A chunk another worker committed meanwhile is skipped (rows idempotent by row_no).
        const todo = rows.filter((r) => r.row.rowNo > roster.cursor_row);
        let outcomes: Outcome[] = [];
        let more: AuditEntry[] = [];
        await this.repo.savepoint(trx, 'roster_chunk');
        try {
          outcomes = await this.allRows(trx, now, ctx, roster, columns, todo, prepared, more);
          await this.repo.releaseSavepoint(trx, 'roster_chunk');
        } catch (e) {
          // Something the chunk at once cannot take (see submit-many.ts): row by row instead.
          if (!(e instanceof OneByOne || e instanceof DomainError || isUnique(e))) throw e;
          await this.repo.rollbackToSavepoint(trx, 'roster_chunk');
          outcomes = [];
          more = [];
          for (const { row, dupOf } of todo)
            outcomes.push(
              await this.oneRow(trx, now, ctx, roster, columns, row, dupOf, prepared, more),
            );
        }
        await this.repo.insertRows(
          trx,
          outcomes.map((o) => ({ roster_id: rosterId, ...o })),
        );
        const accepted = outcomes.filter((o) => o.outcome === 'accepted').length;
        const refused = outcomes.length - accepted;
        const cursor = todo.length ? todo[todo.length - 1]!.row.rowNo : roster.cursor_row;
        await this.repo.update(
          trx,
          rosterId,
          {
            accepted: roster.accepted + accepted,
            refused: roster.refused + refused,
            cursor_row: cursor,
            status: last ? 'done' : 'running',
            ...(last ? { finished_at: now } : {}),
          },
          now,
        );
        return {
          result: outcomes.length,
          details: {
            fromRow: todo[0]?.row.rowNo ?? null,
            toRow: cursor,
            accepted,
            refused,
            last,
          },
          audited: { targetType: 'roster', targetId: rosterId, jurisdiction: roster.jurisdiction },
          more,
        };
      },
    });
  }

  /**
   * The chunk at once: every row checked, the register read for all of them in two queries, and
   * the applications decided and written by `submitMany`. Throws `OneByOne`, a DomainError or a
   * unique violation when the chunk must go row by row (the caller's savepoint undoes it).
   */
  private async allRows(
    trx: Trx,
    now: Date,
    ctx: ActContext,
    roster: RosterRow,
    columns: RosterColumns,
    rows: { row: SheetRow; dupOf: number | null }[],
    prepared: Prepared,
    more: AuditEntry[],
  ): Promise<Outcome[]> {
    const outcomes = new Map<number, Outcome>();
    const good: {
      rowNo: number;
      name: string;
      phone: string;
      doc: ReturnType<typeof checkRow>['doc'];
    }[] = [];
    for (const { row, dupOf } of rows) {
      try {
        good.push({ rowNo: row.rowNo, ...checkRow(row, columns, dupOf, now) });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        outcomes.set(row.rowNo, refusedRow(row.rowNo, e));
      }
    }
    const persons = this.deps.repos.persons;
    const keyOf = (d: (typeof good)[number]['doc']) => documentKey(d.type, d.number);
    const ids = await persons.findIdsByKeys(
      'id_document',
      good.map((g) => keyOf(g.doc)),
      trx,
    );
    const held = new Map(
      (await persons.findByIds([...new Set(ids.values())], trx, true)).map((p) => [p.id, p]),
    );
    const items: (ManyItem & { rowNo: number })[] = [];
    for (const g of good) {
      const existing = held.get(ids.get(keyOf(g.doc)) ?? '');
      if (existing && existing.name !== g.name) {
        outcomes.set(g.rowNo, refusedRow(g.rowNo, new DomainError('ROSTER_NAME_MISMATCH')));
        continue;
      }
      const person =
        existing ??
        newPerson(g.doc, g.name, g.phone, roster.jurisdiction, ctx.actor!.organizationId, now);
      items.push({ rowNo: g.rowNo, person, created: !existing, input: unitInput(person, roster) });
    }
    const results = await this.applications.submitMany(
      trx,
      now,
      items,
      roster.jurisdiction,
      roster.branch_id,
      ctx,
      prepared,
    );
    results.forEach((r, i) => {
      const { rowNo, person, created } = items[i]!;
      if (!r.ok) return outcomes.set(rowNo, refusedRow(rowNo, r.error));
      if (created)
        more.push({
          action: 'person.create',
          targetType: 'person',
          targetId: person.id,
          jurisdiction: roster.jurisdiction,
          details: { idType: person.idType, roster: roster.id, rowNo },
        });
      more.push({
        action: 'application.submit',
        targetType: 'application',
        targetId: r.applicationId,
        jurisdiction: roster.jurisdiction,
        details: { ...r.details, roster: roster.id, rowNo },
      });
      outcomes.set(rowNo, acceptedRow(rowNo, person.id, r.applicationId));
    });
    return rows.map(({ row }) => outcomes.get(row.rowNo)!);
  }

  /** One row: validated, and when good an application (in a savepoint, so a refusal undoes it). */
  private async oneRow(
    trx: Trx,
    now: Date,
    ctx: ActContext,
    roster: RosterRow,
    columns: RosterColumns,
    row: SheetRow,
    dupOf: number | null,
    prepared: Prepared,
    more: AuditEntry[],
  ): Promise<Outcome> {
    const refused = (e: DomainError) => refusedRow(row.rowNo, e);
    let person: Person;
    let created = false;
    try {
      const { name, phone, doc } = checkRow(row, columns, dupOf, now);
      const persons = this.deps.repos.persons;
      const existing = await persons.findIdByKey(
        'id_document',
        documentKey(doc.type, doc.number),
        trx,
      );
      if (existing) {
        person = (await persons.findById(existing, trx, true))!;
        if (person.name !== name) throw new DomainError('ROSTER_NAME_MISMATCH');
      } else {
        person = newPerson(doc, name, phone, roster.jurisdiction, ctx.actor!.organizationId, now);
        created = true;
      }
    } catch (e) {
      if (e instanceof DomainError) return refused(e);
      throw e;
    }
    // The application: the counter's own decision and writes, undone with the person on refusal.
    const sp = trx;
    await this.repo.savepoint(trx);
    try {
      if (created) await this.deps.repos.persons.insert(sp, person, ctx.actor!.organizationId);
      const { app, details } = await this.applications.submitIn(
        sp,
        now,
        person,
        unitInput(person, roster),
        roster.jurisdiction,
        roster.branch_id,
        ctx,
        prepared,
      );
      await this.repo.releaseSavepoint(trx);
      if (created)
        more.push({
          action: 'person.create',
          targetType: 'person',
          targetId: person.id,
          jurisdiction: roster.jurisdiction,
          details: { idType: person.idType, roster: roster.id, rowNo: row.rowNo },
        });
      more.push({
        action: 'application.submit',
        targetType: 'application',
        targetId: app.id,
        jurisdiction: app.jurisdiction,
        details: { ...details, roster: roster.id, rowNo: row.rowNo },
      });
      return acceptedRow(row.rowNo, person.id, app.id);
    } catch (e) {
      await this.repo.rollbackToSavepoint(trx);
      if (e instanceof DomainError) return refused(e);
      if (isUnique(e))
        return refused(
          new DomainError('APPLICATION_EXISTS', { jurisdiction: roster.jurisdiction }),
        );
      throw e;
    }
  }
}

/** A unit's first application for one of its people (FZ-18: batch production). */
function unitInput(person: Person, roster: RosterRow): SubmitInput {
  return {
    personId: person.id,
    kind: 'first',
    channel: 'unit',
    jurisdiction: roster.jurisdiction,
    branchId: roster.branch_id,
    production: 'batch',
    // FZ-15, FZ-18: the unit brings the batch to the bank outlet it chose.
    place: placeOfActor({ organizationKind: 'branch' }, 'counter'),
  };
}

function refusedRow(rowNo: number, e: DomainError): Outcome {
  return {
    row_no: rowNo,
    outcome: 'refused',
    code: e.code,
    message_zh: renderError(e.code, e.params, 'zh-CN').detail,
    message_en: renderError(e.code, e.params, 'en').detail,
    rule: e.citation?.rule ?? null,
    person_id: null,
    application_id: null,
  };
}

function acceptedRow(rowNo: number, personId: string, applicationId: string): Outcome {
  return {
    row_no: rowNo,
    outcome: 'accepted',
    code: null,
    message_zh: null,
    message_en: null,
    rule: null,
    person_id: personId,
    application_id: applicationId,
  };
}

/** A roster row's own checks, before the register is read: the fields, the ID, the phone. */
function checkRow(
  row: SheetRow,
  columns: RosterColumns,
  dupOf: number | null,
  now: Date,
): { name: string; phone: string; doc: ReturnType<typeof parseIdDocument> } {
  const cell = (i: number) => (row.cells[i] ?? '').trim();
  const name = cell(columns.name);
  const idNumber = cell(columns.idNumber).toUpperCase();
  const phone = cell(columns.phone);
  for (const [field, value] of [
    ['name', name],
    ['idNumber', idNumber],
    ['phone', phone],
  ] as const)
    if (!value)
      throw new DomainError('ROSTER_FIELD_MISSING', {
        field: FIELD_LABELS[field].zh,
        fieldEn: FIELD_LABELS[field].en,
      });
  if (row.numeric?.includes(columns.idNumber)) throw new DomainError('ROSTER_ID_NUMERIC_CELL');
  if (dupOf !== null) throw new DomainError('ROSTER_DUPLICATE_ROW', { firstRow: dupOf });
  if (!/^1\d{10}$/.test(phone)) throw new DomainError('ROSTER_PHONE_INVALID');
  checkPhone(phone);
  const doc = parseIdDocument('resident_id', idNumber, shanghaiDate(now));
  checkName(name, false);
  return { name, phone, doc };
}

/** A person the register does not hold yet, as a roster row describes them. */
function newPerson(
  doc: ReturnType<typeof parseIdDocument>,
  name: string,
  phone: string,
  jurisdiction: string,
  registeredBy: string | null,
  now: Date,
): Person {
  return {
    id: uuidv7(),
    ssn: doc.ssn ?? doc.number,
    idType: doc.type,
    idNumber: doc.number,
    name,
    sex: doc.sex!,
    ethnicity: null,
    nationality: 'CHN',
    birthDate: doc.birthDate!,
    phone,
    householdAddress: null,
    residenceAddress: null,
    postcode: null,
    occupation: null,
    medicalInsurance: null,
    guardian: null,
    hardship: 'none',
    diedOn: null,
    deathEvidence: null,
    photoId: null,
    jurisdiction,
    registeredBy,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function isUnique(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '23505';
}
