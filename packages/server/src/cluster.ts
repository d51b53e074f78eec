/**
 * Using the machine's cores: `SSCARD_WORKERS=N` (or `auto`, one per core) runs N server
 * processes (node:cluster workers) on one port, in front of one PostgreSQL server.
 *
 * - The primary opens the platform once (migrations, the installation administrator, start-up
 *   warnings, the demo), closes it and forks the workers; it serves no requests itself (node's
 *   cluster hands each new connection to the next worker in turn).
 * - Each worker opens the platform without migrating (the primary just did; `migrate` would be
 *   safe anyway: it runs under an advisory lock) and listens on the shared port.
 * - Worker 1 runs the daily jobs (the scheduler is safe across nodes, since a run first claims its
 *   day in `job_runs`; one ticking process is enough on one machine).
 * - A worker that dies is replaced (same number); one that dies before listening three times in
 *   a row stops the whole server, since it would only die again.
 * - SIGTERM or SIGINT to the primary is forwarded to every worker, which stops gracefully
 *   (ops/shutdown.ts); the primary waits for them all, then exits 0, or 1 when a worker did not
 *   stop cleanly (exited non-zero, or was killed past SSCARD_SHUTDOWN_TIMEOUT_SECONDS + 5 s).
 *
 * The embedded database (PGlite) lives in one process: more than one worker needs DATABASE_URL.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import os from 'node:os';
import type { Logger } from 'pino';
import { shutdownSettings } from './ops/shutdown.js';

/** The header a worker adds to every answer when there are several: which one answered. */
export const WORKER_HEADER = 'X-Sscard-Worker';
const INDEX_ENV = 'SSCARD_WORKER_INDEX';
const MAX_EARLY_DEATHS = 3;
/** Past each worker's own graceful-stop timeout (ops/shutdown.ts), the primary kills it. */
const STOP_GRACE_EXTRA_MS = 5_000;

/** `SSCARD_WORKERS`: absent or empty 1; a positive integer; or `auto` (one per core). */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SSCARD_WORKERS?.trim();
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`SSCARD_WORKERS must be a number from 1 to 256 or "auto", got "${raw}"`);
  return n;
}

export type ClusterRole =
  { kind: 'single' } | { kind: 'primary'; workers: number } | { kind: 'worker'; index: number };

/** What this process is: the only one, the primary of a cluster, or one of its workers. */
export function clusterRole(
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClusterRole {
  if (cluster.isWorker) return { kind: 'worker', index: Number(env[INDEX_ENV]) || 1 };
  const workers = workerCount(env);
  if (workers === 1) return { kind: 'single' };
  if (!databaseUrl)
    throw new Error(
      `SSCARD_WORKERS=${env.SSCARD_WORKERS} needs a PostgreSQL server (DATABASE_URL): the ` +
        'embedded database (PGlite) is served by one process; set SSCARD_WORKERS=1 or DATABASE_URL',
    );
  return { kind: 'primary', workers };
}

/** Adds `X-Sscard-Worker: <n>` to every answer of this worker (set before Fastify writes). */
export function tagAnswers(server: Server, index: number): void {
  server.prependListener('request', (_req, res) => res.setHeader(WORKER_HEADER, String(index)));
}

/** The header naming the node that answered (SSCARD_NODE_NAME), for a proxy's logs and tests. */
export const NODE_HEADER = 'X-Sscard-Node';

export function tagNode(server: Server, name: string): void {
  server.prependListener('request', (_req, res) => res.setHeader(NODE_HEADER, name));
}

/**
 * Forks the workers and keeps them running until SIGTERM/SIGINT. Resolves when every worker has
 * stopped after a signal; rejects when workers keep dying before they listen.
 */
export function runPrimary(workers: number, log: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    let earlyDeaths = 0;
    const listening = new WeakSet<Worker>();
    const indexOf = new Map<Worker, number>();

    const fork = (index: number) => {
      const worker = cluster.fork({ [INDEX_ENV]: String(index) });
      indexOf.set(worker, index);
      worker.once('listening', () => {
        listening.add(worker);
        earlyDeaths = 0;
      });
    };

    const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);

    const stop = (signal: NodeJS.Signals | null, failure?: Error) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, workers: alive().length }, 'stopping the workers');
      let unclean = 0;
      const done = () =>
        failure
          ? reject(failure)
          : unclean
            ? reject(new Error(`${unclean} worker(s) did not stop cleanly`))
            : resolve();
      if (alive().length === 0) return done();
      for (const w of alive()) w.process.kill('SIGTERM');
      const force = setTimeout(() => {
        for (const w of alive()) w.process.kill('SIGKILL');
      }, shutdownSettings().timeoutMs + STOP_GRACE_EXTRA_MS);
      force.unref();
      cluster.on('exit', (_w, code, sig) => {
        if (code !== 0 || sig) unclean += 1;
        if (alive().length === 0) {
          clearTimeout(force);
          done();
        }
      });
    };

    cluster.on('exit', (worker, code, signal) => {
      const index = indexOf.get(worker) ?? 0;
      indexOf.delete(worker);
      if (stopping) return;
      if (!listening.has(worker)) earlyDeaths += 1;
      log.error({ worker: index, pid: worker.process.pid, code, signal }, 'a worker died');
      if (earlyDeaths >= MAX_EARLY_DEATHS) {
        stop(
          null,
          new Error(`workers died ${earlyDeaths} times in a row before listening; stopping`),
        );
        return;
      }
      fork(index);
    });

    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    for (let i = 1; i <= workers; i++) fork(i);
    log.info({ workers, pid: process.pid }, `sscard primary: ${workers} workers started`);
  });
}
