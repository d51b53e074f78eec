/**
 * The authorisation matrix: every route the app registers is called as every role and
 * anonymously, and the answer is checked against the hand-written table in access-matrix.ts.
 *
 * - The table and the app must list the same routes: a new route without a declared rule fails,
 *   and so does a line for a route that no longer exists.
 * - Not allowed: no session (or a forged or ended one) → 401 AUTH_REQUIRED; a role → 403 FORBIDDEN.
 * - Allowed: anything but 401, 403 FORBIDDEN or a 5xx. The request is syntactically valid but
 *   harmless (random ids, `{}` bodies), so 404, 409, 422 and scope refusals (403 OUT_OF_SCOPE …)
 *   are expected: they come from past access control.
 * - Refusals by access control change nothing in the database (the audit trail and the
 *   rate-limit counters aside): every table is fingerprinted around the refused callers.
 * - HEAD answers as GET does.
 *
 * Path parameters get ids that name nothing (pathFor); a route with a new parameter name fails
 * until it has a sample value there. Logout ends the caller's session, so each caller logs in
 * afresh for it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { formatCardNumber } from '@sscard/domain';
import { fakeJpeg } from '@sscard/domain/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, STAFF_PASSWORD, type World } from '../testing/fixtures.js';
import { TEST_ADMIN_PASSWORD } from '../testing/harness.js';
import { holderToken } from '../testing/holders.js';
import { registerPerson } from '../testing/people.js';
import {
  ACCESS_MATRIX,
  CALLERS,
  HANDLER_MATRIX,
  type Caller,
  type RouteKey,
} from './access-matrix.js';
import { changedTables, fingerprinter, type Fingerprint } from './db-snapshot.js';
import {
  declaredKeys,
  openRoutedPlatform,
  type RegisteredRoute,
  type RoutedPlatform,
  tokensByCaller,
} from './routed-platform.js';

let p: RoutedPlatform;
let w: World;
/** A session per caller (none for anonymous). */
let tokens: Record<Caller, string | null>;
/** A well-formed bearer token that names no session, and one whose session was ended. */
let forged: string;
/** The person behind the holder caller's session (issue 13). */
let holderId: string;
let ended: string;
let feeSchedule: unknown;
let fingerprint: () => Promise<Fingerprint>;

const ACCOUNTS: Record<
  Exclude<Caller, 'anonymous' | 'holder'>,
  [username: string, password: string]
> = {
  installation_admin: ['admin', TEST_ADMIN_PASSWORD],
  centre_admin: ['sh.centre', STAFF_PASSWORD],
  bank_admin: ['sh.banka', STAFF_PASSWORD],
  branch_operator: ['sh.brancha', STAFF_PASSWORD],
  community_operator: ['sh.community', STAFF_PASSWORD],
  vendor_operator: ['sh.vendor', STAFF_PASSWORD],
  auditor: ['sh.auditor', STAFF_PASSWORD],
  service_point_operator: ['sh.pharmacy', STAFF_PASSWORD],
};

/** Routes whose call ends the caller's session: each call gets a session of its own. */
const ENDS_SESSION = new Set<RouteKey>([
  'POST /api/v1/auth/logout',
  'POST /api/v1/holder/sign-out',
]);

const SAMPLE_ID = randomUUID();
const SAMPLE_CARD = formatCardNumber('310000', 89_999_999);

/** A syntactically valid value for each path parameter: ids that name nothing. */
function pathFor(url: string): string {
  return url
    .replace(/:(\w+)/g, (_m, name: string) => {
      switch (name) {
        case 'id':
        case 'personId':
          return SAMPLE_ID;
        case 'cardNo':
          return SAMPLE_CARD;
        case 'name':
          return 'no-such-job';
        case 'code':
          return url.startsWith('/api/v1/problems/') ? 'FORBIDDEN' : 'SH';
        default:
          throw new Error(`no sample value for :${name} in ${url}: add one to pathFor`);
      }
    })
    .replace(/\*$/, 'index.html');
}

const registered = new Map<RouteKey, RegisteredRoute>();

function request(key: RouteKey, query = '') {
  const route = registered.get(key);
  if (!route) return null;
  const url = pathFor(route.url) + query;
  if (key === 'PUT /api/v1/persons/:id/photo')
    return {
      method: route.method,
      url,
      headers: { 'content-type': 'image/jpeg' },
      payload: fakeJpeg(358, 441, 2000),
    };
  if (key === 'PUT /api/v1/fees/schedule')
    return { method: route.method, url, payload: feeSchedule as Record<string, unknown> };
  if (route.schema?.body) return { method: route.method, url, payload: {} };
  return { method: route.method, url };
}

function problemCode(res: LightMyRequestResponse): string | undefined {
  try {
    return (res.json() as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/** A refusal by who the caller is: the role, a holder on a staff route, staff on a holder route. */
const REFUSED_BY_ROLE = ['FORBIDDEN', 'HOLDER_ROUTE_STAFF_ONLY', 'HOLDER_SESSION_REQUIRED'];

/** Why an answer disagrees with the table, or null when it agrees. */
function mismatch(caller: string, allowed: boolean, res: LightMyRequestResponse): string | null {
  const code = problemCode(res);
  const got = `${res.statusCode}${code ? ` ${code}` : ''}`;
  if (res.statusCode >= 500) return `${caller}: ${got} (a server error)`;
  if (allowed) {
    if (res.statusCode === 401) return `${caller}: ${got}, but the table allows it`;
    if (res.statusCode === 403 && REFUSED_BY_ROLE.includes(code ?? ''))
      return `${caller}: ${got}, but the table allows it`;
    return null;
  }
  if (caller === 'anonymous' || caller === 'forged')
    return res.statusCode === 401 && code === 'AUTH_REQUIRED'
      ? null
      : `${caller}: ${got}, expected 401 AUTH_REQUIRED`;
  if (caller === 'ended')
    return res.statusCode === 401 && code === 'SESSION_EXPIRED'
      ? null
      : `${caller}: ${got}, expected 401 SESSION_EXPIRED`;
  return res.statusCode === 403 && REFUSED_BY_ROLE.includes(code ?? '')
    ? null
    : `${caller}: ${got}, expected 403 FORBIDDEN`;
}

async function login(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
  if (caller === 'holder') return holderToken(p.t, holderId);
  const [username, password] = ACCOUNTS[caller];
  return p.t.login(username, password);
}

beforeAll(async () => {
  p = await openRoutedPlatform();
  w = await buildWorld(p.t);
  for (const r of p.routes) registered.set(r.key, r);
  holderId = (await registerPerson(p.t, w.tokens.branchA)).id;
  tokens = { ...tokensByCaller(w), holder: await holderToken(p.t, holderId) };
  forged = randomBytes(32).toString('base64url');
  ended = await login('branch_operator');
  const out = await p.call({ method: 'POST', url: '/api/v1/auth/logout', token: ended });
  if (out.statusCode !== 204) throw new Error(`logout failed: ${out.statusCode} ${out.body}`);
  const fees = await p.call({
    method: 'GET',
    url: '/api/v1/fees/schedule',
    token: tokens.centre_admin,
  });
  feeSchedule = fees.json();
  // Refusals are audited and counted by the throttles; nothing else may change.
  fingerprint = await fingerprinter(p.t.platform.deps.db, [
    'audit_log',
    'audit_heads',
    'rate_limits',
  ]);
});
afterAll(() => p?.close());

describe('the declared table', () => {
  it('lists every registered route, and no route that does not exist', () => {
    const actual = declaredKeys(p.routes);
    const declared = Object.keys(ACCESS_MATRIX) as RouteKey[];
    const undeclared = actual.filter((k) => !(k in ACCESS_MATRIX));
    const stale = declared.filter((k) => !actual.includes(k));
    expect(undeclared, 'routes without a line in security/access-matrix.ts').toEqual([]);
    expect(stale, 'lines in security/access-matrix.ts for routes that do not exist').toEqual([]);
  });

  it('names only declared routes in the handler checks', () => {
    for (const key of Object.keys(HANDLER_MATRIX))
      expect(ACCESS_MATRIX, key).toHaveProperty([key.split('?')[0]!]);
  });

  it('lists each caller at most once per route', () => {
    for (const [key, callers] of Object.entries(ACCESS_MATRIX))
      expect(new Set(callers).size, key).toBe(callers.length);
  });
});

/**
 * Calls one route as every caller. The refused callers go first, with the database fingerprinted
 * around them: a refusal by access control changes nothing (the audit trail and rate-limit
 * counters aside). HEAD, where Fastify added one, is tried for the first refused and the first
 * allowed caller and must answer as GET does.
 */
async function check(key: RouteKey, allowedCallers: readonly Caller[], query = '') {
  const problems: string[] = [];
  const allowed = new Set(allowedCallers);
  const req = request(key, query);
  if (!req) return [`${key} is not registered`];
  const head = key.startsWith('GET ') && registered.has(`HEAD ${key.slice(4)}` as RouteKey);
  const callers: [name: string, token: string | null, allowed: boolean][] = [
    ...CALLERS.map((c): [string, string | null, boolean] => [c, tokens[c], allowed.has(c)]),
    ['forged', forged, allowed.has('anonymous')],
    ['ended', ended, allowed.has('anonymous')],
  ];
  const refusedFirst = [...callers.filter((c) => !c[2]), ...callers.filter((c) => c[2])];
  let before: Fingerprint | null = await fingerprint();
  let headTried = { refused: false, allowed: false };
  for (const [name, token0, ok] of refusedFirst) {
    if (ok && before) {
      const changed = changedTables(before, await fingerprint());
      if (changed.length) problems.push(`refused callers changed ${changed.join(', ')}`);
      before = null;
    }
    // Only a call that is let through ends the session: refused callers keep theirs.
    const fresh = ENDS_SESSION.has(key) && ok && (name in ACCOUNTS || name === 'holder');
    const token = fresh ? await login(name as Exclude<Caller, 'anonymous'>) : token0;
    const res = await p.call({ ...req, token });
    const wrong = mismatch(name, ok, res);
    if (wrong) problems.push(wrong);
    const side = ok ? 'allowed' : 'refused';
    if (head && !headTried[side]) {
      headTried = { ...headTried, [side]: true };
      const h = await p.call({ ...req, method: 'HEAD', token });
      if (h.statusCode !== res.statusCode)
        problems.push(`${name}: HEAD answered ${h.statusCode}, GET ${res.statusCode}`);
    }
  }
  if (before) {
    const changed = changedTables(before, await fingerprint());
    if (changed.length) problems.push(`refused callers changed ${changed.join(', ')}`);
  }
  return problems;
}

describe('every route as every role and anonymously', () => {
  for (const [key, allowed] of Object.entries(ACCESS_MATRIX) as [RouteKey, Caller[]][]) {
    it(key, async () => {
      expect(await check(key, allowed)).toEqual([]);
    });
  }
});

describe('second checks inside handlers', () => {
  for (const [variant, allowed] of Object.entries(HANDLER_MATRIX)) {
    it(variant, async () => {
      const [key, query] = variant.split('?') as [RouteKey, string];
      expect(await check(key, allowed, `?${query}`)).toEqual([]);
    });
  }
});
