/**
 * A QR code is accepted once across the installation: its jti is inserted into `ecard_qr_used`,
 * whose primary key it is, before the check answers. Inserts are group-committed like the
 * verification log: the codes presented while a batch is written go in the next one, in one
 * statement (`on conflict do nothing returning jti`), and each check learns whether its jti was
 * new. Two nodes inserting the same jti meet at the primary key: one row, one acceptance. The same
 * jti twice in one batch is decided here: the first is the batch's, the others are replays.
 */
import type { EcardsRepository } from './ecards.repository.js';

const MAX_BATCH = 1000;

interface Waiting {
  jti: string;
  expiresAt: Date;
  resolve: (fresh: boolean) => void;
  reject: (e: unknown) => void;
}

export class UsedCodes {
  private queue: Waiting[] = [];
  private writing: Promise<void> | null = null;
  batches = 0;

  constructor(
    private readonly repo: EcardsRepository,
    private readonly now: () => Date,
  ) {}

  /** Resolves true when this presentation is the code's first (and now recorded). */
  claim(jti: string, expiresAt: Date): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ jti, expiresAt, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const first = new Map<string, Waiting>();
        const replays: Waiting[] = [];
        for (const w of batch) {
          if (first.has(w.jti)) replays.push(w);
          else first.set(w.jti, w);
        }
        try {
          const fresh = await this.repo.markUsed([...first.values()], this.now());
          this.batches += 1;
          for (const w of first.values()) w.resolve(fresh.has(w.jti));
          for (const w of replays) w.resolve(false);
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
