/**
 * Graceful shutdown (docs/OPERATIONS.md, "Shutdown"). On SIGTERM (or SIGINT) the node:
 *
 *   1. answers /readyz 503 at once, so the load balancer stops sending it traffic;
 *   2. after `SSCARD_SHUTDOWN_DELAY_SECONDS` (default 0; a few seconds behind a load balancer
 *      that polls /readyz) refuses every new request with 503 SHUTTING_DOWN and
 *      `Connection: close`, stops listening (new connections are refused), closes idle
 *      keep-alive connections and lets the requests in flight finish, each answer closing its
 *      connection;
 *   3. stops the daily-job scheduler (a run in progress finishes) and the background queue
 *      (handlers stop at their next chunk; an interrupted job runs again elsewhere);
 *   4. waits until no act is running (acts from jobs or the queue included);
 *   5. closes the database and exits 0.
 *
 * A stop that takes longer than `SSCARD_SHUTDOWN_TIMEOUT_SECONDS` (default 25) is logged and the
 * process exits 1: an act cut off there rolls back whole (one transaction), and a retry with the
 * same Idempotency-Key on another node gets the right answer. Orchestrators must give the process
 * a little longer than that before SIGKILL (Docker: `stop_grace_period: 30s`; Kubernetes'
 * default grace period is 30 s).
 */
import type { Logger } from 'pino';
import type { Lifecycle } from './lifecycle.js';

export interface ShutdownSettings {
  timeoutMs: number;
  delayMs: number;
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 3600)
    throw new Error(`${name} must be a number of seconds from 0 to 3600, got "${raw}"`);
  return n;
}

export function shutdownSettings(env: NodeJS.ProcessEnv = process.env): ShutdownSettings {
  return {
    timeoutMs: seconds(env, 'SSCARD_SHUTDOWN_TIMEOUT_SECONDS', 25) * 1000,
    delayMs: seconds(env, 'SSCARD_SHUTDOWN_DELAY_SECONDS', 0) * 1000,
  };
}

/** What a node stops, in order. Optional parts are absent where they do not run. */
export interface Stoppable {
  lifecycle: Lifecycle;
  log: Logger;
  /** The HTTP server (Fastify's close: stop listening, finish requests in flight). */
  http?: { close(): Promise<unknown> };
  scheduler: { stop(): Promise<void> };
  queue?: { stop(): Promise<void> } | undefined;
  acts: { whenIdle(): Promise<void>; readonly inFlight: number };
  /** Closes the database. */
  close(): Promise<void>;
}

/**
 * Stops the node and resolves with the exit code: 0 when everything stopped in time, 1 when the
 * timeout struck or a step failed. Calling it twice returns the first call's promise.
 */
export function gracefulShutdown(
  node: Stoppable,
  signal: string,
  settings: ShutdownSettings,
): Promise<number> {
  const started = performance.now();
  const { lifecycle, log } = node;
  lifecycle.beginShutdown();
  log.info(
    { signal, actsInFlight: node.acts.inFlight, timeoutMs: settings.timeoutMs },
    'shutting down: not ready, finishing what is in flight',
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      log.error(
        { signal, timeoutMs: settings.timeoutMs, actsInFlight: node.acts.inFlight },
        'shutdown timed out: exiting with what is still running (its transactions roll back)',
      );
      resolve(1);
    }, settings.timeoutMs);
    timer.unref();
  });
  const steps = (async () => {
    if (settings.delayMs > 0) await new Promise((r) => setTimeout(r, settings.delayMs));
    lifecycle.refuseRequests();
    await Promise.all([node.http?.close(), node.scheduler.stop()]);
    await node.queue?.stop();
    await node.acts.whenIdle();
    await node.close();
    log.info({ signal, ms: Math.round(performance.now() - started) }, 'stopped');
    return 0;
  })().catch((e: unknown) => {
    log.error({ err: { message: (e as Error)?.message } }, 'shutdown failed');
    return 1;
  });
  return Promise.race([steps, timeout]).finally(() => clearTimeout(timer));
}
