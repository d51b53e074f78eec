/**
 * The declared access matrix: for every route the app registers (method and URL pattern exactly
 * as Fastify has them), who gets past access control. Written by hand, one line per route,
 * grouped by module, on purpose NOT derived from the routes' `config.access` nor from the role
 * table in `@sscard/domain`: `access-matrix.test.ts` calls every route as every role and
 * anonymously and compares the answers with this table, so a change to a route's declared
 * access, or to `ROLE_PERMISSIONS`, that alters who may call what fails the suite until this file
 * says so too. A route that is not listed here, or a line for a route that no longer exists,
 * fails as well.
 *
 * Conventions:
 * - `HEAD` routes Fastify adds for each `GET` are not listed; the test checks they answer as the
 *   `GET` does. A `HEAD` without a `GET` twin must be listed.
 * - Routes outside `/api` (health, readiness, documentation) are public.
 * - `anonymous` means no session; the seven roles are those of `packages/domain`'s role table.
 * - Allowed means "past access control": the route may still refuse for scope, state or input
 *   (403 OUT_OF_SCOPE, 404, 409, 422, 423 …); not allowed means 401 AUTH_REQUIRED for anonymous
 *   callers and 403 FORBIDDEN for roles.
 */
import type { Role } from '@sscard/domain';

/** A terminal is no account: its routes are checked by the terminals' own tests. */
export type Caller = Exclude<Role, 'terminal'> | 'anonymous';
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteKey = `${Method} /${string}`;

const ADMIN = 'installation_admin';
const CENTRE = 'centre_admin';
const BANK = 'bank_admin';
const BRANCH = 'branch_operator';
const COMMUNITY = 'community_operator';
const VENDOR = 'vendor_operator';
const AUDITOR = 'auditor';
const SERVICE_POINT = 'service_point_operator';
const ANONYMOUS = 'anonymous';
/** A holder signed in online (modules/holders): only routes that declare `holder: true`. */
const HOLDER = 'holder';

/** Every caller the matrix tries, in the order it tries them. */
export const CALLERS: readonly Caller[] = [
  ANONYMOUS,
  ADMIN,
  CENTRE,
  BANK,
  BRANCH,
  COMMUNITY,
  VENDOR,
  AUDITOR,
  SERVICE_POINT,
  HOLDER,
];

/** Any account with a session. */
const STAFF: readonly Caller[] = [
  ADMIN,
  CENTRE,
  BANK,
  BRANCH,
  COMMUNITY,
  VENDOR,
  AUDITOR,
  SERVICE_POINT,
];
/** Anyone at all, with or without a session. */
const ANYONE: readonly Caller[] = [ANONYMOUS, ...STAFF, HOLDER];
/** The counters (bank branches, community outlets) and the centre behind them. */
const COUNTERS: readonly Caller[] = [CENTRE, BRANCH, COMMUNITY];
/** Account administrators: installation, centre, bank. */
const ACCOUNT_ADMINS: readonly Caller[] = [ADMIN, CENTRE, BANK];

export const ACCESS_MATRIX: Readonly<Record<RouteKey, readonly Caller[]>> = {
  // ---- outside /api: health, readiness, the API documentation --------------------------------
  'GET /healthz': ANYONE,
  'GET /livez': ANYONE,
  // Public as a route; who may read it is decided inside (token or this machine; ops/ops.routes.ts).
  'GET /metrics': ANYONE,
  'GET /readyz': ANYONE,
  'GET /openapi.json': ANYONE,
  'GET /docs': ANYONE,
  'HEAD /docs/': ANYONE,
  'GET /docs/json': ANYONE,
  'GET /docs/yaml': ANYONE,
  'GET /docs/static/index.html': ANYONE,
  'GET /docs/static/swagger-initializer.js': ANYONE,
  'GET /docs/static/*': ANYONE,

  // ---- system -----------------------------------------------------------------------------------
  'GET /api/v1/system/clock': STAFF,
  'PUT /api/v1/system/clock': [ADMIN],
  'GET /api/v1/problems': ANYONE,
  'GET /api/v1/problems/:code': ANYONE,

  // ---- auth and sessions --------------------------------------------------------------------------
  'POST /api/v1/auth/login': ANYONE,
  'POST /api/v1/auth/login/enrol': ANYONE,
  'POST /api/v1/auth/activate': ANYONE,
  'POST /api/v1/auth/logout': STAFF,
  'GET /api/v1/auth/me': STAFF,
  'POST /api/v1/auth/password': STAFF,
  'PUT /api/v1/auth/phone': STAFF,
  'POST /api/v1/auth/otp': STAFF,
  'POST /api/v1/auth/otp/confirm': STAFF,
  'POST /api/v1/auth/otp/remove': STAFF,
  'GET /api/v1/sessions': STAFF,
  // Anyone ends their own session (sessions.test.ts); another's needs session.manage.
  'DELETE /api/v1/sessions/:id': ACCOUNT_ADMINS,

  // ---- organisations ------------------------------------------------------------------------------
  'GET /api/v1/organizations': STAFF,
  'GET /api/v1/organizations/:id': STAFF,
  'GET /api/v1/jurisdictions/:code/branches': STAFF,
  'POST /api/v1/organizations': ACCOUNT_ADMINS,
  'POST /api/v1/organizations/:id/suspend': [CENTRE],
  'POST /api/v1/organizations/:id/restore': [CENTRE],

  // ---- staff --------------------------------------------------------------------------------------
  'GET /api/v1/staff': [ADMIN, CENTRE, BANK, AUDITOR],
  'GET /api/v1/staff/:id': [ADMIN, CENTRE, BANK, AUDITOR],
  'POST /api/v1/staff': ACCOUNT_ADMINS,
  'POST /api/v1/staff/:id/disable': ACCOUNT_ADMINS,
  'POST /api/v1/staff/:id/enable': ACCOUNT_ADMINS,
  'POST /api/v1/staff/:id/otp/reset': ACCOUNT_ADMINS,
  'POST /api/v1/staff/sweep-inactive': ACCOUNT_ADMINS,

  // ---- permission requests (FZ-37: a counter asks, an account administrator decides) -------------
  'POST /api/v1/permission-requests': [BRANCH, COMMUNITY],
  'GET /api/v1/permission-requests': STAFF,
  'POST /api/v1/permission-requests/:id/approve': ACCOUNT_ADMINS,
  'POST /api/v1/permission-requests/:id/reject': ACCOUNT_ADMINS,

  // ---- persons ------------------------------------------------------------------------------------
  'POST /api/v1/persons': COUNTERS,
  'GET /api/v1/persons/:id': [ADMIN, CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'POST /api/v1/persons/search': [ADMIN, CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'PATCH /api/v1/persons/:id': [...COUNTERS, HOLDER],
  'POST /api/v1/persons/:id/death': COUNTERS,
  'PUT /api/v1/persons/:id/photo': [...COUNTERS, HOLDER],
  'GET /api/v1/persons/:id/photo': [CENTRE, BANK, BRANCH, COMMUNITY],

  // ---- audit and alerts (separation of duties: only the auditor reads the trail) ------------------
  'GET /api/v1/audit': [AUDITOR],
  'GET /api/v1/audit/export': [AUDITOR],
  'POST /api/v1/audit/verify': [AUDITOR],
  'GET /api/v1/persons/:id/access-log': [ADMIN, CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'GET /api/v1/alerts': [ADMIN, CENTRE, AUDITOR],
  'POST /api/v1/alerts/:id/acknowledge': [ADMIN, CENTRE, AUDITOR],

  // ---- daily jobs ---------------------------------------------------------------------------------
  'GET /api/v1/jobs': [ADMIN],
  'POST /api/v1/jobs/:name/run': [ADMIN],
  // ---- background queue and notifications (issue 14) --------------------------------------------
  // Any member of staff follows the jobs they asked for (others' answer 404); the centre manages.
  'GET /api/v1/queue/jobs': STAFF,
  'GET /api/v1/queue/jobs/:id': STAFF,
  'POST /api/v1/queue/jobs/:id/retry': [ADMIN, CENTRE],
  'POST /api/v1/queue/jobs/:id/cancel': [ADMIN, CENTRE],
  'GET /api/v1/notifications': [ADMIN, CENTRE],

  // ---- policy, fees -------------------------------------------------------------------------------
  'GET /api/v1/jurisdictions': ANYONE,
  'GET /api/v1/jurisdictions/:code/policy': ANYONE,
  'GET /api/v1/policy/compare': ANYONE,
  'GET /api/v1/fees/schedule': STAFF,
  'PUT /api/v1/fees/schedule': [ADMIN, CENTRE],
  'PUT /api/v1/fees/schedule/:code': [ADMIN, CENTRE],
  'GET /api/v1/stats/dashboard': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'POST /api/v1/fees/quote': STAFF,

  // ---- calendar -----------------------------------------------------------------------------------
  'GET /api/v1/calendar': STAFF,
  'PUT /api/v1/calendar/overrides': [ADMIN, CENTRE],
  'GET /api/v1/calendar/days': STAFF,
  'POST /api/v1/calendar/due': STAFF,

  // ---- applications -------------------------------------------------------------------------------
  'POST /api/v1/applications': [...COUNTERS, HOLDER],
  'GET /api/v1/applications/:id': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'GET /api/v1/persons/:id/applications': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'POST /api/v1/applications/:id/delay-notice': COUNTERS,
  'POST /api/v1/applications/:id/checks': COUNTERS,
  'POST /api/v1/applications/:id/withdraw': COUNTERS,
  'POST /api/v1/applications/:id/produce': [BRANCH, COMMUNITY],
  'POST /api/v1/applications/:id/stock': [CENTRE, BRANCH, COMMUNITY, VENDOR],
  'POST /api/v1/persons/:id/key-change': COUNTERS,

  // ---- cards --------------------------------------------------------------------------------------
  'GET /api/v1/cards/:cardNo': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'GET /api/v1/persons/:id/cards': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR, HOLDER],
  'POST /api/v1/cards/:cardNo/issue': COUNTERS,
  'POST /api/v1/cards/:cardNo/activate': COUNTERS,
  'POST /api/v1/cards/:cardNo/loss': [...COUNTERS, HOLDER],
  'POST /api/v1/cards/:cardNo/unreport': [...COUNTERS, HOLDER],
  'POST /api/v1/cards/:cardNo/suspend': COUNTERS,
  'POST /api/v1/cards/:cardNo/resume': COUNTERS,
  'POST /api/v1/cards/:cardNo/freeze': [CENTRE],
  'POST /api/v1/cards/:cardNo/unfreeze': [CENTRE],
  'POST /api/v1/cards/:cardNo/cancel': COUNTERS,
  'POST /api/v1/cards/:cardNo/return': COUNTERS,
  'POST /api/v1/cards/:cardNo/destroy': COUNTERS,
  'POST /api/v1/cards/:cardNo/bank-account-closed': COUNTERS,
  'POST /api/v1/cards/:cardNo/undeliverable': COUNTERS,
  'POST /api/v1/cards/:cardNo/pin': COUNTERS,
  'POST /api/v1/cards/:cardNo/pin/verify': COUNTERS,
  'POST /api/v1/cards/:cardNo/pin/reset': COUNTERS,
  'POST /api/v1/cards/:cardNo/pin/unlock': COUNTERS,

  // ---- terminals and online checks (issue 12) ---------------------------------------------------
  'GET /api/v1/terminals': [ADMIN, CENTRE, BANK, AUDITOR, SERVICE_POINT],
  'GET /api/v1/terminals/:id': [ADMIN, CENTRE, BANK, AUDITOR, SERVICE_POINT],
  'POST /api/v1/terminals': [ADMIN, CENTRE, BANK],
  'POST /api/v1/terminals/:id/change': [ADMIN, CENTRE, BANK],
  'POST /api/v1/terminals/:id/suspend': [ADMIN, CENTRE, BANK],
  'POST /api/v1/terminals/:id/resume': [ADMIN, CENTRE, BANK],
  'POST /api/v1/terminals/:id/retire': [ADMIN, CENTRE, BANK],
  'POST /api/v1/terminals/:id/rotate': [ADMIN, CENTRE, BANK],
  // A terminal's own credential is not a session: terminals.test.ts and verify.test.ts try it.
  'POST /api/v1/verify/card': [SERVICE_POINT],

  // ---- holders online (issue 13) --------------------------------------------------------------------
  'POST /api/v1/holder/sign-in/start': ANYONE,
  'POST /api/v1/holder/sign-in': ANYONE,
  'GET /api/v1/holder/me': [HOLDER],
  'POST /api/v1/holder/sign-out': [HOLDER],
  'POST /api/v1/holder/wards': [HOLDER],
  'POST /api/v1/holder/wards/:personId/remove': [HOLDER],
  'GET /api/v1/holder/branches': [HOLDER],
  'GET /api/v1/simulator/messages': ANYONE,
  'POST /api/v1/verify/pin': [SERVICE_POINT],
  'GET /api/v1/verify/deny-list': [SERVICE_POINT],
  'GET /api/v1/verify/deny-list/key': ANYONE,

  // ---- the electronic card and its QR codes (issue 13, modules/ecards) ------------------------
  'POST /api/v1/ecards': [HOLDER],
  'GET /api/v1/ecards/:id': [HOLDER],
  'GET /api/v1/persons/:id/ecards': [HOLDER],
  'POST /api/v1/ecards/:id/qr': [HOLDER],
  'POST /api/v1/ecards/:id/pin': [HOLDER],
  // A terminal's own credential is not a session: ecards.test.ts tries it.
  'POST /api/v1/verify/qr': [SERVICE_POINT],
  'GET /.well-known/jwks.json': ANYONE,

  // ---- ledgers, the destruction register, hotline referrals (issue 14, modules/ledgers, referrals)
  'GET /api/v1/ledgers/daily': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'GET /api/v1/ledgers/monthly': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'GET /api/v1/ledgers/inventory': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'GET /api/v1/ledgers/filings': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'GET /api/v1/ledgers/monthly/status': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'POST /api/v1/ledgers/filings': [CENTRE, BANK, BRANCH, COMMUNITY],
  'GET /api/v1/destructions': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'POST /api/v1/destructions': [CENTRE, BRANCH, COMMUNITY],
  'GET /api/v1/referrals': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'GET /api/v1/referrals/:id': [CENTRE, BANK, BRANCH, COMMUNITY, AUDITOR],
  'POST /api/v1/referrals': [CENTRE],
  'POST /api/v1/referrals/:id/assign': [CENTRE],
  'POST /api/v1/referrals/:id/answer': [BANK, BRANCH, COMMUNITY],
  'POST /api/v1/referrals/:id/report': [CENTRE],

  // ---- unit rosters (issue 14; FZ-18, HN-9): application.unit_batch -----------------------------
  'POST /api/v1/rosters': [CENTRE, BANK],
  'GET /api/v1/rosters': [CENTRE, BANK],
  'GET /api/v1/rosters/template.xlsx': [CENTRE, BANK],
  'GET /api/v1/rosters/:id': [CENTRE, BANK],
  'GET /api/v1/rosters/:id/rows': [CENTRE, BANK],
  'GET /api/v1/rosters/:id/report.xlsx': [CENTRE, BANK],
  'GET /api/v1/rosters/:id/report.csv': [CENTRE, BANK],

  // ---- vendor production batches, bank account opening by file (issue 14; FZ-18, FZ-20) --------
  'GET /api/v1/production/batches': [CENTRE, BANK, VENDOR],
  'POST /api/v1/production/batches': [CENTRE, BANK],
  'GET /api/v1/production/batches/:id': [CENTRE, BANK, VENDOR],
  'GET /api/v1/production/batches/:id/personalisation.txt': [CENTRE, BANK, VENDOR],
  'POST /api/v1/production/batches/:id/return': [CENTRE, BANK],
  // Only where the built-in simulators run (as in tests and demos).
  'POST /api/v1/production/batches/:id/simulated-return': [CENTRE, BANK],
  'GET /api/v1/bank-files': [CENTRE, BANK],
  'POST /api/v1/bank-files': [CENTRE, BANK],
  'POST /api/v1/bank-files/opening-mode': [CENTRE, BANK],
  'GET /api/v1/bank-files/:id': [CENTRE, BANK],
  'GET /api/v1/bank-files/:id/request.txt': [CENTRE, BANK],
  'POST /api/v1/bank-files/:id/return': [CENTRE, BANK],
  'POST /api/v1/bank-files/:id/simulated-return': [CENTRE, BANK],
};

/**
 * Second checks inside a handler, past the route's own access rule: a request shape (here, a
 * query) and who may make it. Each must name a route of ACCESS_MATRIX; the test sends the query.
 */
export const HANDLER_MATRIX: Readonly<Record<string, readonly Caller[]>> = {
  // The full (unmasked) record needs person.read_full as well as person.read.
  'GET /api/v1/persons/:id?view=full': [CENTRE, BANK, BRANCH, COMMUNITY],
};
