/**
 * The verification log's group commit. Checks arriving while a batch is being written wait for the
 * next one, which carries them all in one INSERT; each check is answered only when its batch has
 * committed. So the hot path pays a share of one statement per batch, not one transaction per
 * check, and no answered check is lost when the node dies (a check that was not answered may or
 * may not be in the log: the terminal saw no verdict and asks again).
 */
import { randomUUID } from 'node:crypto';
import type { LogEntry, VerificationRepository } from './verification.repository.js';

/** Big enough for any burst on one node; a larger backlog is written in several statements. */
const MAX_BATCH = 1000;

interface Waiting {
  entry: LogEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class VerificationLog {
  private queue: Waiting[] = [];
  private writing: Promise<void> | null = null;
  /** Batches written by this node (for the log and the tests). */
  batches = 0;

  constructor(private readonly repo: VerificationRepository) {}

  /** Resolves once the entry is committed. */
  record(entry: LogEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Waits for everything queued so far (shutdown). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the checks of this turn of the event loop join the first batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.repo.insertLog(
            batch.map((w) => w.entry),
            randomUUID(),
          );
          this.batches += 1;
          for (const w of batch) w.resolve();
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
