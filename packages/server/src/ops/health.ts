/**
 * Liveness and readiness (docs/OPERATIONS.md, "Health").
 *
 * - `/livez` (and its older name `/healthz`): the process answers. Nothing else is checked, so a
 *   database outage never makes an orchestrator restart every node at once.
 * - `/readyz`: this node should be sent traffic. Ready when all of these hold:
 *   - `lifecycle`: started and not shutting down (503 from the moment SIGTERM arrives);
 *   - `database`: a query answers;
 *   - `rulePacks`: at least one jurisdiction's rule pack is loaded and every jurisdiction
 *     resolves to a version (packs are validated when they load: a broken pack stops start-up);
 *     an expired pack is a warning listed under `details.rulePacks`, not a failure;
 *   - `auditChain`: no unacknowledged `audit.chain_broken` alert. A broken chain takes the node
 *     out of service until an auditor has looked and acknowledged the alert (the trail is the
 *     installation's evidence; acts must not pile up on a chain nobody has examined).
 *     `SSCARD_READY_IGNORES_AUDIT=1` turns this check into a warning for installations that
 *     would rather keep serving.
 */
import { ping } from '../db/database.js';
import type { Deps } from '../deps.js';
import type { Lifecycle } from './lifecycle.js';

export interface Readiness {
  ready: boolean;
  checks: {
    lifecycle: Lifecycle['phase'];
    database: 'ok' | 'unreachable' | 'unchecked';
    rulePacks: 'ok' | 'none loaded' | 'unresolvable' | 'unchecked';
    auditChain: 'ok' | 'broken' | 'unknown';
  };
}

export function rulePacksCheck(
  deps: Pick<Deps, 'rules'>,
  now: Date,
): 'ok' | 'none loaded' | 'unresolvable' {
  const codes = deps.rules.codes();
  if (codes.length === 0) return 'none loaded';
  try {
    for (const code of codes) deps.rules.resolve(code, now);
    return 'ok';
  } catch {
    return 'unresolvable';
  }
}

export async function readiness(
  deps: Pick<Deps, 'db' | 'rules' | 'clock' | 'repos'>,
  lifecycle: Lifecycle,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Readiness> {
  if (lifecycle.stopping) {
    // Not a single query once stopping: the database is about to close.
    return {
      ready: false,
      checks: {
        lifecycle: 'stopping',
        database: 'unchecked',
        rulePacks: 'unchecked',
        auditChain: 'unknown',
      },
    };
  }
  const database = (await ping(deps.db)) ? 'ok' : 'unreachable';
  const rulePacks = rulePacksCheck(deps, deps.clock.now());
  let auditChain: Readiness['checks']['auditChain'] = 'unknown';
  if (database === 'ok') {
    try {
      auditChain = (await deps.repos.ops.openAlerts('audit.chain_broken')) > 0 ? 'broken' : 'ok';
    } catch {
      auditChain = 'unknown';
    }
  }
  const auditBlocks = auditChain === 'broken' && env.SSCARD_READY_IGNORES_AUDIT !== '1';
  return {
    ready: lifecycle.phase === 'ready' && database === 'ok' && rulePacks === 'ok' && !auditBlocks,
    checks: { lifecycle: lifecycle.phase, database, rulePacks, auditChain },
  };
}
