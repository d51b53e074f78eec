/**
 * Cache invalidation across API nodes (docs/NODES.md). A node that changes something other
 * nodes keep in memory (the calendar's override table, the e-card verifying keys) publishes the
 * topic inside the act's transaction; PostgreSQL delivers a NOTIFY only when that transaction
 * commits, to every node listening, this one included, so no node drops its cache for a change
 * that rolled back, and none keeps a stale one after a change committed. A node whose listening
 * connection dropped drops every cache when it is back (it may have missed a message); caches
 * keep their own short reload period as a second line.
 *
 * On the embedded database there is one process, and PGlite delivers its own NOTIFYs the same way.
 */
import { sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import type { Trx } from './transact.js';

/** What may be changed on one node and kept in memory on others. */
export type ChangeTopic = 'calendar' | 'ecard.keys';

export class ChangeBus {
  private readonly handlers = new Map<string, Set<() => void>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly handle: Pick<DatabaseHandle, 'changesChannel' | 'listen'>) {}

  /** `fn` runs on every node once a change of `topic` committed anywhere. */
  on(topic: ChangeTopic, fn: () => void): void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(fn);
    this.handlers.set(topic, set);
  }

  /** Inside the writer's transaction: heard everywhere when, and only if, it commits. */
  async publish(trx: Trx, topic: ChangeTopic): Promise<void> {
    await sql`select pg_notify(${this.handle.changesChannel}, ${topic})`.execute(trx);
  }

  async start(): Promise<void> {
    if (this.unlisten) return;
    this.unlisten = await this.handle.listen(
      (topic) => this.fire(topic),
      () => {
        for (const topic of this.handlers.keys()) this.fire(topic);
      },
    );
  }

  async stop(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.().catch(() => {});
  }

  private fire(topic: string): void {
    for (const fn of this.handlers.get(topic) ?? []) fn();
  }
}
