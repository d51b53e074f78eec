/**
 * What the card vendor's return file (FZ-20(三)) and the bank's account-opening return file
 * (FZ-18) share when they are uploaded: the file names this batch, was not seen before, the batch
 * was exported, and its rows are exactly the batch's, each once. Then the file is stored sealed
 * (`return_files`) and its import queued in the same transaction; without a queue the caller
 * imports it at once. Each service keeps its own parsing and its own import.
 */
import { DomainError } from '@sscard/domain';
import type { ActContext } from '../../context.js';
import type { Trx } from '../../db/transact.js';
import type { Queue } from '../../jobs/queue.js';
import { actorKey } from '../queue/queue.service.js';
import type { ProductionRepository } from './production.repository.js';

/** The batch as the upload sees it (a production batch or a bank file). */
export interface ReturnedBatch {
  id: string;
  jurisdiction: string;
  status: string;
  return_sha256: string | null;
  returned_at: Date | null;
}

export interface ReturnFileCheck<R extends { seq: number }> {
  kind: 'vendor' | 'bank';
  /** The queued job that imports it (`production.return_import`, `bank.return_import`). */
  jobKind: string;
  fileId: string;
  text: string;
  parsed: { batchId: string; sha256: string; rows: readonly R[] };
  /** A parsed row's key: its card number, its ID number. */
  keyOf: (row: R) => string;
  /** The keys the batch holds. */
  expected: ReadonlySet<string>;
  /** What a row's key is and what a missing row is, in the refusal: 卡号 / the card, … */
  words: { key: string; keyEn: string; missing: (n: number) => { why: string; whyEn: string } };
  /** Writes the file's checksum on the batch (each batch table its own). */
  markReturned: (sha256: string) => Promise<void>;
}

export interface StoredReturn {
  fileId: string;
  batchId: string;
  jobId: string | null;
}

export async function storeReturnFile<R extends { seq: number }>(
  production: ProductionRepository,
  queue: Queue | undefined,
  trx: Trx,
  now: Date,
  ctx: ActContext,
  batch: ReturnedBatch,
  c: ReturnFileCheck<R>,
): Promise<StoredReturn> {
  const { parsed } = c;
  if (parsed.batchId !== batch.id)
    throw new DomainError('RETURN_FILE_WRONG_BATCH', {
      fileBatch: parsed.batchId,
      batch: batch.id,
    });
  const earlier = await production.findReturnFileBySha(c.kind, parsed.sha256, trx);
  if (batch.return_sha256 || earlier)
    throw new DomainError('RETURN_FILE_DUPLICATE', {
      when: (earlier?.created_at ?? batch.returned_at ?? now).toISOString(),
    });
  if (batch.status === 'open') throw new DomainError('BATCH_NOT_EXPORTED');
  const seen = new Set<string>();
  for (const r of parsed.rows) {
    const key = c.keyOf(r);
    if (!c.expected.has(key) || seen.has(key))
      throw new DomainError('RETURN_FILE_ROWS', {
        why: `第 ${r.seq} 行的${c.words.key}不在该批次或重复`,
        whyEn: `row ${r.seq}: ${c.words.keyEn} is not in this batch, or repeated`,
      });
    seen.add(key);
  }
  if (seen.size !== c.expected.size)
    throw new DomainError('RETURN_FILE_ROWS', c.words.missing(c.expected.size - seen.size));
  await c.markReturned(parsed.sha256);
  await production.insertReturnFile(
    trx,
    {
      id: c.fileId,
      kind: c.kind,
      batch_id: batch.id,
      sha256: parsed.sha256,
      created_by: ctx.actor?.username ?? 'system',
      created_at: now,
    },
    c.text,
  );
  const jobId = queue
    ? await queue.enqueue(
        trx,
        {
          kind: c.jobKind,
          payload: { fileId: c.fileId },
          jurisdiction: batch.jurisdiction,
          dedupeKey: `${c.jobKind}:${c.fileId}`,
        },
        ctx.actor ? actorKey(ctx.actor) : 'system',
      )
    : null;
  return { fileId: c.fileId, batchId: batch.id, jobId };
}
