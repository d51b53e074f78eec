/**
 * Per-request context and access control. The bearer token becomes an actor; the route's
 * declared access decides whether the actor may call it. Routes without a declaration are a
 * start-up error, so no route is open by accident.
 */
import { DomainError, actorCan, pickLocale, type Permission } from '@sscard/domain';
import type { Actor } from '../context.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../modules/auth/auth.service.js';
import { isHolderToken, type HoldersService } from '../modules/holders/holders.service.js';
import { MEANINGFUL_TEXT } from './schemas.js';

function statedReason(req: FastifyRequest): string | null {
  const raw = req.headers['x-sscard-reason'];
  if (typeof raw !== 'string' || raw === '') return null;
  let reason: string;
  try {
    // Header values are ASCII; reasons in Chinese arrive percent-encoded (encodeURIComponent).
    reason = decodeURIComponent(raw);
  } catch {
    throw new DomainError('BAD_REQUEST', {
      summary: 'X-Sscard-Reason must be percent-encoded UTF-8',
    });
  }
  // A reason is one line of text: control characters (a decoded %00, a line break) are refused.
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(reason)) {
    throw new DomainError('BAD_REQUEST', {
      summary: 'X-Sscard-Reason must be one line of text without control characters',
    });
  }
  // A reason must say something: spaces, zero-width or ideographic spaces are no reason at all.
  if (!MEANINGFUL.test(reason)) return null;
  return Array.from(reason).slice(0, 500).join(''); // by code point: never half a character
}

const MEANINGFUL = new RegExp(MEANINGFUL_TEXT, 'u');

function bearer(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!m) throw new DomainError('AUTH_REQUIRED');
  return m[1]!;
}

export function registerAccessControl(
  app: FastifyInstance,
  auth: AuthService,
  holders: HoldersService,
): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
  });

  app.decorateRequest('ctx', null as never);

  app.addHook('onRequest', async (req) => {
    req.ctx = {
      actor: null,
      requestId: req.id,
      ip: req.ip,
      reason: null,
      locale: pickLocale(req.headers['accept-language']),
      audited: false,
    };
    req.ctx.reason = statedReason(req);
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public') return;
    // A terminal's own credential is checked by its route, in the statement that reads the card
    // (modules/terminals/terminal-auth.ts); a session here is staff on the verifier page.
    if (access === 'terminal' && !req.headers.authorization?.startsWith('Bearer ')) {
      // No credential of any kind: answered like any route without a session.
      if (!req.headers.authorization && !req.headers['x-client-cert-fingerprint'])
        throw new DomainError('AUTH_REQUIRED');
      return;
    }
    const token = bearer(req);
    if (!token) throw new DomainError('AUTH_REQUIRED');
    const config = req.routeOptions.config;
    if (isHolderToken(token)) {
      // A holder online: only on the routes that say so (`holder: true` or `access: 'holder'`).
      if (access !== 'holder' && !config?.holder) throw new DomainError('HOLDER_ROUTE_STAFF_ONLY');
      const actor = await holders.authenticate(token);
      req.ctx.actor = actor;
      if (
        access !== 'holder' &&
        access !== 'authenticated' &&
        access !== 'terminal' &&
        !actorCan(actor, access)
      )
        throw new DomainError('FORBIDDEN', { role: actor.role, action: access });
      return;
    }
    // A staff session is checked first: a forged or ended token is told so, whatever the route.
    const actor = await auth.authenticate(token);
    if (access === 'holder') throw new DomainError('HOLDER_SESSION_REQUIRED');
    req.ctx.actor = actor;
    const needed = access === 'terminal' ? 'card.verify' : access;
    if (needed !== 'authenticated' && !actorCan(actor, needed)) {
      throw new DomainError('FORBIDDEN', { role: actor.role, action: needed });
    }
  });
}

/** For routes whose answer depends on a second permission (e.g. the full record). */
export function assertPermission(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission))
    throw new DomainError('FORBIDDEN', { role: actor.role, action: permission });
}
