/**
 * Bank account opening by file (FZ-18(四)(五): 下载开户 … 银行批量开户后的回盘文件导入). Where a bank
 * opens accounts by file (the bank organisation's `account_opening`), cards of its approved
 * batch applications are made without an account; sscard groups them into a request file for
 * the bank and imports the bank's return file: an opened account is sealed onto the card (as the
 * online opening does), a refused row keeps the bank's reason and the card stays out of
 * production (a production batch takes only cards whose account is open) until a later request.
 */
import { DomainError, type DataScope } from '@sscard/domain';
import type { Target } from '../../acts/access.js';
import {
  formatBankRequest,
  parseBankReturn,
  simulateBankReturn,
  type BankRequestRow,
} from '../../adapters/bank/bank-files.js';
import { sha256Hex } from '../../adapters/line-file.js';
import type { ActContext } from '../../context.js';
import { uuidv7 } from '../../crypto/tokens.js';
import type { Deps } from '../../deps.js';
import type { Paging } from '../../db/paging.js';
import { organizationTarget } from '../organizations/organizations.service.js';
import type { Queue, QueueHandler } from '../../jobs/queue.js';
import { decodeText, fileRefusal, PRODUCTION_BATCH_MAX } from '../production/production.service.js';

export const BANK_RETURN_JOB = 'bank.return_import';
import type { ReturnFileRow } from '../production/production.repository.js';
import { presentBankFile, presentBankFileRow } from './bank-files.presenter.js';
import type { BankFileRow, BankFilesRepository } from './bank-files.repository.js';
import { storeReturnFile } from '../production/return-files.js';

export interface BankReturnSummary {
  batchId: string;
  rows: number;
  opened: number;
  refused: number;
}

export interface BankReturnUpload {
  fileId: string;
  batchId: string;
  jobId: string | null;
  result: BankReturnSummary | null;
}

export function bankFileTarget(b: Pick<BankFileRow, 'id' | 'jurisdiction' | 'bank_id'>): Target {
  return { type: 'bank_file', id: b.id, jurisdiction: b.jurisdiction, bankId: b.bank_id };
}

export class BankFilesService {
  readonly repo: BankFilesRepository;

  constructor(private readonly deps: Deps) {
    this.repo = deps.repos.bankFiles;
  }

  private queue: Queue | undefined;

  /** Return files are imported by the queue's `bank.return_import` jobs (else inline). */
  useQueue(queue: Queue): void {
    this.queue = queue;
    queue.register(BANK_RETURN_JOB, this.handler);
  }

  readonly handler: QueueHandler = async (job, env) => {
    const s = await this.applyReturn(String(job.payload.fileId), env.ctx);
    await env.progress(s.rows, s.rows);
    return { ...s };
  };

  list(scope: DataScope, paging: Paging) {
    return this.repo.list(scope, paging);
  }

  async get(ctx: ActContext, id: string): Promise<BankFileRow> {
    const b = await this.repo.find(id);
    if (!b) throw new DomainError('NOT_FOUND', { resource: 'bank file' });
    await this.deps.access.require(
      this.deps.db,
      ctx.actor,
      'bank_file.read',
      bankFileTarget(b),
      this.deps.clock.now(),
    );
    return b;
  }

  async present(batches: BankFileRow[], db?: Parameters<BankFilesRepository['rows']>[1]) {
    const orgs = await this.deps.repos.production.orgs(
      batches.map((b) => b.bank_id),
      db,
    );
    return batches.map((b) => presentBankFile(b, orgs));
  }

  async detail(b: BankFileRow) {
    const rows = await this.repo.rows(b.id);
    const orgs = await this.deps.repos.production.orgs([
      b.bank_id,
      ...rows.map((r) => r.branch_id),
    ]);
    const out = [];
    for (const r of rows) {
      const p = await this.deps.repos.persons.findById(r.person_id);
      out.push(presentBankFileRow(r, p ? { name: p.name, idNumber: p.idNumber } : null, orgs));
    }
    return { ...presentBankFile(b, orgs), rows: out };
  }

  /** The centre records whether a bank opens accounts online (one by one) or by file. */
  async setOpeningMode(ctx: ActContext, bankId: string, mode: 'online' | 'file') {
    const { repos } = this.deps;
    return this.deps.acts.run(ctx, {
      name: 'bank_file.opening_mode',
      resource: 'organization',
      load: async (trx) => {
        const o = await repos.organizations.findById(bankId, trx);
        return o?.kind === 'bank' ? o : undefined;
      },
      target: (o) => organizationTarget(o),
      apply: async ({ trx }) => {
        await this.repo.setAccountOpening(trx, bankId, mode);
        return { result: { bankId, accountOpening: mode }, details: { accountOpening: mode } };
      },
    });
  }

  /** A request batch: the bank's cards waiting for their account, up to the cap. */
  async create(ctx: ActContext, input: { bankId: string; max?: number | undefined }) {
    const { repos } = this.deps;
    const id = uuidv7();
    const max = Math.min(input.max ?? PRODUCTION_BATCH_MAX, PRODUCTION_BATCH_MAX);
    return this.deps.acts.run(ctx, {
      name: 'bank_file.create',
      resource: 'organization',
      load: async (trx) => {
        const bank = await repos.organizations.findById(input.bankId, trx);
        return bank?.kind === 'bank' ? bank : undefined;
      },
      target: (bank) => ({
        type: 'bank_file',
        id: null,
        jurisdiction: bank.jurisdiction,
        bankId: bank.id,
      }),
      apply: async ({ trx, now, loaded: bank }) => {
        if (bank.account_opening !== 'file') throw new DomainError('NOT_A_FILE_BANK');
        const found = await this.repo.candidates(trx, {
          jurisdiction: bank.jurisdiction,
          bankId: bank.id,
          limit: max,
        });
        if (found.length === 0)
          throw new DomainError('BATCH_EMPTY', {
            why: '该银行没有等待开户的卡',
            whyEn: 'no card of the bank is waiting for its account',
          });
        const row: BankFileRow = {
          id,
          jurisdiction: bank.jurisdiction,
          bank_id: bank.id,
          status: 'open',
          row_count: found.length,
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
        const { succeeded: _s, failed: _f, ...insertable } = row;
        await this.repo.insertBatch(trx, insertable);
        await this.repo.insertRows(
          trx,
          found.map((c, i) => ({
            batch_id: id,
            seq: i + 1,
            application_id: c.application_id,
            card_no: c.card_no,
            person_id: c.person_id,
            branch_id: c.branch_id,
            refusal_reason: null,
          })),
        );
        return {
          result: row,
          details: { rows: found.length },
          audited: { targetType: 'bank_file', targetId: id },
        };
      },
      present: async (b, trx) => (await this.present([b], trx))[0],
      status: 201,
    });
  }

  /** The account-opening request file (audited: it carries names and ID numbers). */
  async exportFile(ctx: ActContext, id: string): Promise<{ filename: string; content: string }> {
    const batch = await this.get(ctx, id);
    const createdAt = batch.exported_at ?? this.deps.clock.now();
    const rows = await this.repo.rows(batch.id);
    const orgs = await this.deps.repos.production.orgs([
      batch.bank_id,
      ...rows.map((r) => r.branch_id),
    ]);
    const lines: BankRequestRow[] = [];
    for (const r of rows) {
      const p = await this.deps.repos.persons.findById(r.person_id);
      if (!p) throw new Error(`bank file ${batch.id}: row ${r.seq} has no person`);
      lines.push({
        cardNo: r.card_no,
        idType: p.idType,
        idNumber: p.idNumber,
        name: p.name,
        branchCode: orgs.get(r.branch_id)?.code ?? r.branch_id,
      });
    }
    const content = formatBankRequest(
      { batchId: batch.id, bankCode: orgs.get(batch.bank_id)?.code ?? '', createdAt },
      lines,
    );
    const sha = sha256Hex(content);
    await this.deps.acts.run(ctx, {
      name: 'bank_file.export',
      resource: 'bank file',
      load: (trx) => this.repo.find(id, trx, true),
      target: (b: BankFileRow) => bankFileTarget(b),
      apply: async ({ trx, now, loaded }) => {
        if (loaded.status === 'open')
          await this.repo.update(
            trx,
            id,
            { status: 'exported', exported_at: createdAt, export_sha256: sha },
            now,
          );
        return { result: null, details: { rows: lines.length, sha256: sha } };
      },
      present: () => ({ sha256: sha, rows: lines.length }),
    });
    return { filename: `bank-request-${batch.id}.txt`, content };
  }

  /** The bank's return file: checked, stored sealed, imported by the queue or at once. */
  async uploadReturn(ctx: ActContext, id: string, bytes: Uint8Array): Promise<BankReturnUpload> {
    const text = decodeText(bytes);
    let parsed: ReturnType<typeof parseBankReturn>;
    try {
      parsed = parseBankReturn(text);
    } catch (e) {
      fileRefusal(e);
    }
    const fileId = uuidv7();
    const queue = this.queue;
    const { production, persons } = this.deps.repos;
    const stored = await this.deps.acts.run(ctx, {
      name: 'bank_file.return_import',
      resource: 'bank file',
      load: (trx) => this.repo.find(id, trx, true),
      target: (b: BankFileRow) => bankFileTarget(b),
      apply: async ({ trx, now, loaded: batch }) => {
        const expected = new Set<string>();
        for (const r of await this.repo.rows(batch.id, trx)) {
          const p = await persons.findById(r.person_id, trx);
          if (p) expected.add(p.idNumber);
        }
        const stored = await storeReturnFile(production, queue, trx, now, ctx, batch, {
          kind: 'bank',
          jobKind: BANK_RETURN_JOB,
          fileId,
          text,
          parsed,
          keyOf: (row) => row.idNumber,
          expected,
          words: {
            key: '证件号码',
            keyEn: 'the ID number',
            missing: (n) => ({
              why: `缺少 ${n} 行的开户结果`,
              whyEn: `${n} rows of the batch have no result`,
            }),
          },
          markReturned: (sha) => this.repo.update(trx, batch.id, { return_sha256: sha }, now),
        });
        return {
          result: { ...stored, result: null } satisfies BankReturnUpload,
          details: { fileId, rows: parsed.rows.length, sha256: parsed.sha256, jobId: stored.jobId },
        };
      },
      status: 202,
    });
    if (stored.jobId) return stored;
    return { ...stored, result: await this.applyReturn(stored.fileId, ctx) };
  }

  /** The import of a stored bank return file, in one transaction; idempotent. */
  async applyReturn(fileId: string, ctx: ActContext): Promise<BankReturnSummary> {
    const { production, persons, cards } = this.deps.repos;
    const file = await production.findReturnFile(fileId);
    if (!file || file.kind !== 'bank')
      throw new DomainError('NOT_FOUND', { resource: 'return file' });
    return this.deps.acts.run<{ file: ReturnFileRow; batch: BankFileRow }, BankReturnSummary>(ctx, {
      name: 'bank_file.return_apply',
      resource: 'bank file',
      load: async (trx) => {
        const batch = await this.repo.find(file.batch_id, trx, true);
        const f = await production.findReturnFile(fileId, trx, true);
        return batch && f ? { file: f, batch } : undefined;
      },
      target: ({ batch }) => bankFileTarget(batch),
      apply: async ({ trx, now, loaded: { file: f, batch } }) => {
        if (f.status === 'imported')
          return { result: f.result as BankReturnSummary, details: { fileId, again: true } };
        const parsed = parseBankReturn(production.openReturnFile(f));
        const byId = new Map<string, (typeof parsed.rows)[number]>(
          parsed.rows.map((r) => [r.idNumber, r]),
        );
        const s: BankReturnSummary = {
          batchId: batch.id,
          rows: parsed.rows.length,
          opened: 0,
          refused: 0,
        };
        for (const row of await this.repo.rows(batch.id, trx)) {
          if (row.result !== 'pending') continue;
          const p = await persons.findById(row.person_id, trx);
          const r = p ? byId.get(p.idNumber) : undefined;
          const card = await cards.find(row.card_no, trx, true);
          if (r?.ok && card && card.status === 'in_production' && !card.bank_account_hmac) {
            await cards.update(trx, row.card_no, cards.sealAccount(row.card_no, r.accountNo!), now);
            await this.repo.updateRow(trx, batch.id, row.seq, { result: 'opened' });
            s.opened += 1;
          } else {
            await this.repo.updateRow(trx, batch.id, row.seq, {
              result: 'refused',
              refusal_reason: r && !r.ok ? r.reason : `card ${card?.status ?? 'missing'}`,
            });
            s.refused += 1;
          }
        }
        await this.repo.update(
          trx,
          batch.id,
          { status: 'returned', returned_at: now, succeeded: s.opened, failed: s.refused },
          now,
        );
        await production.markReturnFileImported(trx, fileId, s, now);
        return { result: s, details: { fileId, ...s } as Record<string, string | number> };
      },
      present: (s) => s,
    });
  }

  /** A bank's return file from the simulator (demos, tests). */
  async simulateReturn(ctx: ActContext, id: string, refuse: Record<number, string>) {
    const { content } = await this.exportFile(ctx, id);
    return {
      filename: `bank-return-${id}.txt`,
      content: simulateBankReturn(content, { refuse, now: this.deps.clock.now() }),
    };
  }
}
