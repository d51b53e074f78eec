/**
 * Vendor production batches (批量制卡, FZ-20, FZ-22): approved batch applications whose card is in
 * production (and whose bank account is open, where the card has one) are grouped per bank and
 * card vendor; the personalisation file goes to the vendor; the vendor's return file says per
 * card whether it was made (then the card is in stock at its branch, through the application's
 * own stock step) or failed with a reason (then, as the pack's `production.failedCards` says,
 * it goes into a later batch, FZ-20(三), or is undeliverable, ZS-17(二)). Every change is an act.
 */
import { DomainError, type DataScope } from '@sscard/domain';
import type { Target } from '../../acts/access.js';
import { LineFileError } from '../../adapters/line-file.js';
import {
  formatPersonalisation,
  parseVendorReturn,
  simulateVendorReturn,
  type PersonalisationRow,
} from '../../adapters/vendor/vendor-files.js';
import { sha256Hex } from '../../adapters/line-file.js';
import { systemContext, type ActContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Deps } from '../../deps.js';
import type { Queue, QueueHandler } from '../../jobs/queue.js';
import type { Paging } from '../../db/paging.js';
import type { ApplicationsService } from '../applications/applications.service.js';
import type { CardsService } from '../cards/cards.service.js';
import { presentBatch, presentItem } from './production.presenter.js';
import { storeReturnFile } from './return-files.js';
import type { BatchRow, ProductionRepository, ReturnFileRow } from './production.repository.js';

/** The most cards one batch takes (a configurable default: the regulations set none). */
export const PRODUCTION_BATCH_MAX = 1000;
export const PRODUCTION_RETURN_JOB = 'production.return_import';

export interface ReturnSummary {
  batchId: string;
  rows: number;
  succeeded: number;
  failed: number;
  reproduce: number;
  undeliverable: number;
}

/** A stored return file: imported by the queue (`production.return_import`) or inline. */
export interface ReturnUpload {
  fileId: string;
  batchId: string;
  jobId: string | null;
  result: ReturnSummary | null;
}

export function batchTarget(
  b: Pick<BatchRow, 'id' | 'jurisdiction' | 'bank_id' | 'vendor_id'>,
): Target {
  return {
    type: 'production_batch',
    id: b.id,
    jurisdiction: b.jurisdiction,
    bankId: b.bank_id,
    organization: { id: b.vendor_id, bankId: null, jurisdiction: b.jurisdiction },
  };
}

/** A refusal for a file that cannot be read (framing, checksum). */
export function fileRefusal(e: unknown): never {
  if (e instanceof LineFileError) {
    if (e.kind === 'checksum') throw new DomainError('RETURN_FILE_CHECKSUM');
    throw new DomainError('RETURN_FILE_INVALID', { why: e.message, whyEn: e.message });
  }
  throw e;
}

export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('RETURN_FILE_INVALID', {
      why: '文件不是 UTF-8 文本',
      whyEn: 'the file is not UTF-8 text',
    });
  }
}

export class ProductionService {
  readonly repo: ProductionRepository;

  constructor(
    private readonly deps: Deps,
    private readonly applications: ApplicationsService,
    private readonly cards: CardsService,
  ) {
    this.repo = deps.repos.production;
  }

  private queue: Queue | undefined;

  /** Return files are imported by the queue's `production.return_import` jobs (else inline). */
  useQueue(queue: Queue): void {
    this.queue = queue;
    queue.register(PRODUCTION_RETURN_JOB, this.handler);
  }

  readonly handler: QueueHandler = async (job, env) => {
    const s = await this.applyReturn(String(job.payload.fileId), env.ctx);
    await env.progress(s.rows, s.rows);
    return { ...s };
  };

  // ---- reads ----------------------------------------------------------------------------------

  list(scope: DataScope, f: { status?: BatchRow['status'] | undefined }, paging: Paging) {
    return this.repo.list(scope, f, paging);
  }

  async get(ctx: ActContext, id: string): Promise<BatchRow> {
    const b = await this.repo.find(id);
    if (!b) throw new DomainError('NOT_FOUND', { resource: 'production batch' });
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'production.batch.read',
      batchTarget(b),
      this.deps.clock.now(),
    );
    return b;
  }

  async present(batches: BatchRow[], db?: Parameters<ProductionRepository['orgs']>[1]) {
    const orgs = await this.repo.orgs(
      batches.flatMap((b) => [b.vendor_id, b.bank_id]),
      db,
    );
    return batches.map((b) => presentBatch(b, orgs));
  }

  /** A batch with its cards: holders by masked name only, whoever asks. */
  async detail(b: BatchRow) {
    const items = await this.repo.items(b.id);
    const orgs = await this.repo.orgs([b.vendor_id, b.bank_id, ...items.map((i) => i.branch_id)]);
    const names = new Map<string, string>();
    for (const i of items) {
      const p = await this.deps.repos.persons.findById(i.person_id);
      if (p) names.set(i.person_id, p.name);
    }
    return {
      ...presentBatch(b, orgs),
      items: items.map((i) => presentItem(i, names.get(i.person_id) ?? null, orgs)),
    };
  }

  // ---- acts -----------------------------------------------------------------------------------

  /** 组批: a batch of the bank's cards waiting for production, for one of the vendors. */
  async create(
    ctx: ActContext,
    input: { bankId: string; vendorId: string; max?: number | undefined },
  ): Promise<BatchRow> {
    const { repos } = this.deps;
    const id = uuidv7();
    const max = Math.min(input.max ?? PRODUCTION_BATCH_MAX, PRODUCTION_BATCH_MAX);
    return this.deps.acts.run(ctx, {
      name: 'production.batch.create',
      resource: 'organization',
      load: async (trx) => {
        const bank = await repos.organizations.findById(input.bankId, trx);
        if (!bank || bank.kind !== 'bank') return undefined;
        return bank;
      },
      target: (bank) => ({
        type: 'production_batch',
        id: null,
        jurisdiction: bank.jurisdiction,
        bankId: bank.id,
      }),
      apply: async ({ trx, now, loaded: bank }) => {
        const vendor = await repos.organizations.findById(input.vendorId, trx);
        if (!vendor || vendor.kind !== 'vendor' || vendor.jurisdiction !== bank.jurisdiction)
          throw new DomainError('NOT_A_VENDOR');
        const found = await this.repo.candidates(trx, {
          jurisdiction: bank.jurisdiction,
          bankId: bank.id,
          limit: max,
        });
        if (found.length === 0)
          throw new DomainError('BATCH_EMPTY', {
            why: '该银行没有待制卡且已开户的申领',
            whyEn: 'the bank has no approved application in production with its account open',
          });
        const batch: BatchRow = {
          id,
          jurisdiction: bank.jurisdiction,
          vendor_id: vendor.id,
          bank_id: bank.id,
          status: 'open',
          card_count: found.length,
          export_sha256: null,
          exported_at: null,
          return_sha256: null,
          returned_at: null,
          succeeded: 0,
          failed: 0,
          created_by: ctx.actor?.username ?? 'system',
          created_at: now,
          updated_at: now,
        };
        const { succeeded: _s, failed: _f, ...insertable } = batch;
        await this.repo.insertBatch(trx, insertable);
        await this.repo.insertItems(
          trx,
          found.map((c, i) => ({
            batch_id: id,
            seq: i + 1,
            application_id: c.application_id,
            card_no: c.card_no,
            person_id: c.person_id,
            branch_id: c.branch_id,
            failure_reason: null,
            failure_action: null,
          })),
        );
        return {
          result: batch,
          details: { cards: found.length, vendor: vendor.id },
          audited: { targetType: 'production_batch', targetId: id },
        };
      },
      present: async (b, trx) => (await this.present([b], trx))[0],
      status: 201,
    });
  }

  /**
   * The personalisation file (FZ-20(一)): built from the sealed records outside the act, then
   * the act records its checksum and the export (audited: it carries full names and SSNs).
   */
  async exportFile(ctx: ActContext, id: string): Promise<{ filename: string; content: string }> {
    const batch = await this.get(ctx, id);
    const { persons, cards } = this.deps.repos;
    const createdAt = batch.exported_at ?? this.deps.clock.now();
    const items = await this.repo.items(batch.id);
    const orgs = await this.repo.orgs([batch.vendor_id, ...items.map((i) => i.branch_id)]);
    const rows: PersonalisationRow[] = [];
    for (const i of items) {
      const p = await persons.findById(i.person_id);
      const card = await cards.find(i.card_no);
      if (!p || !card) throw new Error(`batch ${batch.id}: card ${i.card_no} has no holder`);
      rows.push({
        cardNo: i.card_no,
        name: p.name,
        ssn: p.ssn,
        bankAccountNo: cards.openAccount(card),
        branchCode: orgs.get(i.branch_id)?.code ?? i.branch_id,
        photo: p.photoId ? ((await persons.findPhoto(p.photoId)) ?? null) : null,
      });
    }
    const content = formatPersonalisation(
      { batchId: batch.id, vendorCode: orgs.get(batch.vendor_id)?.code ?? '', createdAt },
      rows,
    );
    const sha = sha256Hex(content);
    await this.deps.acts.run(ctx, {
      name: 'production.batch.export',
      resource: 'production batch',
      load: (trx) => this.repo.find(id, trx, true),
      target: (b: BatchRow) => batchTarget(b),
      apply: async ({ trx, now, loaded }) => {
        if (loaded.status === 'open')
          await this.repo.update(
            trx,
            id,
            { status: 'exported', exported_at: createdAt, export_sha256: sha },
            now,
          );
        return { result: null, details: { rows: rows.length, sha256: sha } };
      },
      present: () => ({ sha256: sha, rows: rows.length }),
    });
    return { filename: `personalisation-${batch.id}.txt`, content };
  }

  /**
   * 导入回盘文件 (FZ-20(三)): the file is checked (checksum, batch, rows) and stored sealed; the
   * import runs as a queued job where the platform has a queue, else at once.
   */
  async uploadReturn(ctx: ActContext, id: string, bytes: Uint8Array): Promise<ReturnUpload> {
    const text = decodeText(bytes);
    let parsed: ReturnType<typeof parseVendorReturn>;
    try {
      parsed = parseVendorReturn(text);
    } catch (e) {
      fileRefusal(e);
    }
    const fileId = uuidv7();
    const queue = this.queue;
    const stored = await this.deps.acts.run(ctx, {
      name: 'production.return_import',
      resource: 'production batch',
      load: (trx) => this.repo.find(id, trx, true),
      target: (b: BatchRow) => batchTarget(b),
      apply: async ({ trx, now, loaded: batch }) => {
        const items = await this.repo.items(batch.id, trx);
        const stored = await storeReturnFile(this.repo, queue, trx, now, ctx, batch, {
          kind: 'vendor',
          jobKind: PRODUCTION_RETURN_JOB,
          fileId,
          text,
          parsed,
          keyOf: (row) => row.cardNo,
          expected: new Set(items.map((i) => i.card_no)),
          words: {
            key: '卡号',
            keyEn: 'the card',
            missing: (n) => ({
              why: `缺少 ${n} 张卡的结果`,
              whyEn: `${n} cards of the batch have no result`,
            }),
          },
          markReturned: (sha) => this.repo.update(trx, batch.id, { return_sha256: sha }, now),
        });
        return {
          result: { ...stored, result: null } satisfies ReturnUpload,
          details: { fileId, rows: parsed.rows.length, sha256: parsed.sha256, jobId: stored.jobId },
        };
      },
      status: 202,
    });
    if (stored.jobId) return stored;
    const result = await this.applyReturn(stored.fileId, ctx);
    return { ...stored, result };
  }

  /**
   * The import of a stored vendor return file, in one transaction (up to the batch cap): each
   * made card stocked at its branch through the application's stock step; each failed one
   * recorded with the vendor's reason and the pack's action. Idempotent: a file already
   * imported answers its summary again. Then failed cards the pack makes undeliverable get that
   * act (ZS-17(二)), each its own, as the service (a rerun skips those already done).
   */
  async applyReturn(fileId: string, ctx: ActContext): Promise<ReturnSummary> {
    const { repos } = this.deps;
    const file = await this.repo.findReturnFile(fileId);
    if (!file || file.kind !== 'vendor')
      throw new DomainError('NOT_FOUND', { resource: 'return file' });
    const summary = await this.deps.acts.run<
      { file: ReturnFileRow; batch: BatchRow },
      ReturnSummary
    >(ctx, {
      name: 'production.return_apply',
      resource: 'production batch',
      load: async (trx) => {
        const batch = await this.repo.find(file.batch_id, trx, true);
        const f = await this.repo.findReturnFile(fileId, trx, true);
        return batch && f ? { file: f, batch } : undefined;
      },
      target: ({ batch }) => batchTarget(batch),
      apply: async ({ trx, now, loaded: { file: f, batch } }) => {
        if (f.status === 'imported')
          return { result: f.result as ReturnSummary, details: { fileId, again: true } };
        const parsed = parseVendorReturn(this.repo.openReturnFile(f));
        const items = new Map((await this.repo.items(batch.id, trx)).map((i) => [i.card_no, i]));
        const s: ReturnSummary = {
          batchId: batch.id,
          rows: parsed.rows.length,
          succeeded: 0,
          failed: 0,
          reproduce: 0,
          undeliverable: 0,
        };
        for (const r of parsed.rows) {
          const item = items.get(r.cardNo)!;
          if (item.result !== 'pending') continue;
          const app = await repos.applications.find(item.application_id, trx, true);
          if (r.ok && app?.status === 'in_production') {
            await this.applications.stockIn(trx, app, now);
            await this.repo.updateItem(trx, batch.id, item.seq, { result: 'succeeded' });
            s.succeeded += 1;
            continue;
          }
          const pack = app
            ? this.deps.rules.resolve(app.jurisdiction, app.submitted_at).pack
            : null;
          const undeliverable =
            !!pack &&
            pack.production.failedCards.value === 'undeliverable' &&
            pack.unclaimed.undeliverable.value.includes('production_failure') &&
            pack.unclaimed.undeliverableAction.value !== null;
          const action =
            !app || app.status !== 'in_production'
              ? null
              : undeliverable
                ? 'undeliverable'
                : 'reproduce';
          await this.repo.updateItem(trx, batch.id, item.seq, {
            result: 'failed',
            failure_reason: r.ok ? `application ${app?.status ?? 'missing'}` : r.reason,
            failure_action: action,
          });
          s.failed += 1;
          if (action === 'reproduce') s.reproduce += 1;
          if (action === 'undeliverable') s.undeliverable += 1;
        }
        await this.repo.update(
          trx,
          batch.id,
          { status: 'returned', returned_at: now, succeeded: s.succeeded, failed: s.failed },
          now,
        );
        await this.repo.markReturnFileImported(trx, fileId, s, now);
        return { result: s, details: { fileId, ...s } as Record<string, string | number> };
      },
      present: (s) => s,
    });
    await this.finishUndeliverable(file.batch_id);
    return summary;
  }

  /** ZS-17(二): each failed card the pack makes undeliverable gets that act (idempotent). */
  private async finishUndeliverable(batchId: string): Promise<void> {
    const ctx = systemContext('production');
    for (const i of await this.repo.items(batchId)) {
      if (i.failure_action !== 'undeliverable') continue;
      await this.cards.markUndeliverable(i.card_no, { productionFailed: true }, ctx, true);
    }
  }

  /** A vendor's return file for a batch, from the simulator (demos, tests; never in production). */
  async simulateReturn(
    ctx: ActContext,
    id: string,
    fail: Record<number, string>,
  ): Promise<{ filename: string; content: string }> {
    const { content } = await this.exportFile(ctx, id);
    return {
      filename: `vendor-return-${id}.txt`,
      content: simulateVendorReturn(content, { fail, now: this.deps.clock.now() }),
    };
  }
}
