/**
 * Whether the terminal behind a request may check cards now: registered, active, its organisation
 * and bank not suspended (FZ-42), within its rate. The facts come from the statement that also
 * reads the card (verification.repository.ts), so nothing here is cached and a suspension counts
 * from its commit on every node. The rate is counted in memory, per node (a token bucket per
 * terminal on the injected clock): N nodes admit up to N times a terminal's rate.
 */
import {
  DomainError,
  TERMINAL_STATUS_LABELS,
  terminalPlace,
  type OrganizationKind,
  type ServicePlace,
  type ServicePointKind,
} from '@sscard/domain';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../context.js';
import { suspensionOf } from '../auth/auth.service.js';
import type { CheckRow } from '../verification/verification.repository.js';

export interface TerminalPrincipal {
  terminalId: string;
  label: string;
  organizationId: string;
  organizationName: string;
  organizationKind: OrganizationKind;
  servicePointKind: ServicePointKind | null;
  jurisdiction: string;
  kind: string;
  rateLimitPerSecond: number;
  /** Where the terminal stands, in the packs' words (a pharmacy, a hospital, a bank outlet). */
  place: ServicePlace | null;
}

/** How a route that reads no card finds its terminal (the deny-list). */
export interface TerminalAuth {
  authenticate(req: FastifyRequest, terminalId?: string): Promise<TerminalPrincipal>;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * `nodes`: how many API nodes share the load (SSCARD_NODES). Each counts in its own memory (a
   * shared counter would cost a database write per check on the hot path), so each takes its
   * share of the terminal's rate: behind a balancing proxy the installation admits the rate.
   */
  constructor(
    private readonly now: () => Date,
    private readonly nodes = 1,
  ) {}

  /** Takes one token from the terminal's bucket (capacity: one second's worth). */
  take(key: string, rate: number): boolean {
    const perSecond = Math.max(1, rate / this.nodes);
    const t = this.now().getTime();
    const b = this.buckets.get(key) ?? { tokens: perSecond, at: t };
    b.tokens = Math.min(perSecond, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }
}

/**
 * The terminal of a check row, refused unless it may check now. `actor`: a service point's
 * operator naming a terminal, which must be their own organisation's.
 */
export function admitTerminal(
  row: CheckRow | undefined,
  actor: Actor | null,
  limiter: RateLimiter,
): TerminalPrincipal {
  if (!row) throw new DomainError(actor ? 'TERMINAL_NOT_OURS' : 'TERMINAL_AUTH_REQUIRED');
  if (actor && actor.organizationId !== row.organization_id)
    throw new DomainError('TERMINAL_NOT_OURS');
  const suspended = suspensionOf({
    organizationStatus: row.organization_status,
    organizationName: row.organization_name,
    bankStatus: row.bank_status,
    bankName: row.bank_name,
  });
  if (suspended) throw suspended;
  if (row.terminal_status !== 'active') {
    throw new DomainError('TERMINAL_NOT_ACTIVE', {
      label: row.terminal_label,
      status: TERMINAL_STATUS_LABELS[row.terminal_status].zh,
      statusEn: TERMINAL_STATUS_LABELS[row.terminal_status].en,
    });
  }
  if (!limiter.take(row.terminal_id, row.rate_limit_per_second))
    throw new DomainError('RATE_LIMITED', { retryAfter: 1 });
  const organizationKind = row.organization_kind as OrganizationKind;
  const servicePointKind = row.service_point_kind as ServicePointKind | null;
  return {
    terminalId: row.terminal_id,
    label: row.terminal_label,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    organizationKind,
    servicePointKind,
    jurisdiction: (row.terminal_jurisdiction as string) ?? '',
    kind: row.terminal_kind,
    rateLimitPerSecond: row.rate_limit_per_second,
    place: terminalPlace(organizationKind, servicePointKind),
  };
}
