/**
 * The HTTP application: Fastify with TypeBox schemas, OpenAPI at /docs, problem+json errors,
 * access control declared per route, and one route module per domain module.
 */
import { rostersRoutes } from './modules/rosters/rosters.routes.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type onRouteHookHandler } from 'fastify';
import type { Deps } from './deps.js';
import { registerAccessControl } from './http/app-context.js';
import type { App } from './http/app-types.js';
import { registerErrorHandling } from './http/errors.js';
import { registerSecurity } from './http/security.js';
import { Citation, Problem } from './http/schemas.js';
import { validatorCompiler } from './http/validation.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { jobsRoutes } from './jobs/jobs.routes.js';
import { queueRoutes } from './modules/queue/queue.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { applicationsRoutes } from './modules/applications/applications.routes.js';
import { cardsRoutes } from './modules/cards/cards.routes.js';
import { permissionsRoutes } from './modules/permissions/permissions.routes.js';
import { registerTextGuard } from './http/text-guard.js';
import { registerIdempotency } from './http/idempotency.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { policyRoutes } from './modules/policy/policy.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { organizationsRoutes } from './modules/organizations/organizations.routes.js';
import { personsRoutes } from './modules/persons/persons.routes.js';
import { staffRoutes } from './modules/staff/staff.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { Lifecycle } from './ops/lifecycle.js';
import { registerOps } from './ops/ops.routes.js';
import { statsRoutes } from './modules/stats/stats.routes.js';
import { terminalsRoutes } from './modules/terminals/terminals.routes.js';
import { verificationRoutes } from './modules/verification/verification.routes.js';
import { denyListRoutes } from './modules/verification/deny-list.routes.js';
import { ecardsRoutes } from './modules/ecards/ecards.routes.js';
import { holdersRoutes } from './modules/holders/holders.routes.js';
import { ledgersRoutes } from './modules/ledgers/ledgers.routes.js';
import { referralsRoutes } from './modules/referrals/referrals.routes.js';
import type { Services } from './services.js';
import { productionRoutes } from './modules/production/production.routes.js';
import { bankFilesRoutes } from './modules/bank-files/bank-files.routes.js';
import { BankSimulator } from './adapters/bank/bank-simulator.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What /readyz reports besides the database: rule packs out of force, calendar gaps, alerts. */
async function readiness(deps: Deps, services: Services): Promise<Record<string, unknown>> {
  const now = deps.clock.now();
  return {
    rulePacks: deps.rules.warnings(now).map((w) => ({
      code: w.code,
      jurisdiction: w.jurisdiction,
      version: w.version,
      message: w.message,
    })),
    calendar: await deps.calendar.warnings(),
    // Unacknowledged alerts, without their details (this answer is public).
    alerts: await services.alerts.openSummary(),
  };
}

export interface AppOptions {
  /** Extra facts for /readyz (rule-pack status, calendar warnings, …). */
  readiness?: () => Promise<Record<string, unknown>>;
  /** Told of every route as it is registered (the security tests enumerate routes with it). */
  onRoute?: onRouteHookHandler;
  /** Starting, ready or stopping (main.ts moves it on); absent: ready (tests). ops/lifecycle.ts */
  lifecycle?: Lifecycle;
}

export async function buildApp(
  deps: Deps,
  services: Services,
  options: AppOptions = {},
): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: process.env.SSCARD_TRUST_PROXY === '1',
    // Our own id for every request: a client's X-Request-Id is never trusted as the audit
    // record's request id (it could collide or point elsewhere); it is echoed back beside ours.
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: {} },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(Citation);
  app.addSchema(Problem);

  // Photos and other uploads arrive as raw bytes; their type is judged by content, not by header.
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );

  await registerSecurity(app, deps);
  await app.register(swagger, {
    // Component schemas are named by their $id (Card, Person, Problem …), not def-0, def-1.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sscard API',
        version: '1',
        description:
          'Social security card (社会保障卡) platform. Errors are RFC 9457 problem+json with a stable `code`; messages follow `Accept-Language` (zh-CN by default, or en). Refusals by a regulation carry `rule` (e.g. `SH-18`).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          terminal: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'A registered terminal: `Terminal <apiKey>` (docs/VERIFICATION.md)',
          },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'auth', description: 'Sessions' },
        { name: 'persons', description: 'Person registry (人员信息)' },
        { name: 'organizations', description: 'Centres, banks, branches, outlets, vendors, units' },
        { name: 'staff', description: 'Staff accounts and roles' },
        { name: 'audit', description: 'Hash-chained audit trail' },
        { name: 'policy', description: 'Rule packs per jurisdiction, with citations; fees' },
        {
          name: 'applications',
          description: 'Applications: first, replacement, change, reissue, temporary',
        },
        { name: 'cards', description: 'Cards and every act on them' },
        { name: 'calendar', description: 'Statutory working days (调休) and deadlines' },
        { name: 'system', description: 'Health, clock, problem types' },
        { name: 'jobs', description: 'Daily jobs: audit verification, inactive accounts, pruning' },
        {
          name: 'queue',
          description: 'Background jobs (imports, deliveries): progress, retry, cancel',
        },
        { name: 'notifications', description: 'The outbox of messages to holders' },
        { name: 'alerts', description: 'Alerts for operators and auditors' },
        { name: 'terminals', description: 'Terminals and card readers (ZS-18, FZ-12, SG-26)' },
        { name: 'verify', description: 'Online validity checks by terminals (HN-32)' },
        { name: 'holders', description: 'Cardholders online: sign-in, family service (亲情服务)' },
        {
          name: 'ledgers',
          description: 'Ledgers and the destruction register (FZ-27, ZS-17, FZ-36)',
        },
        { name: 'referrals', description: 'Referrals from the 12333 / 12345 hotlines (FZ-46)' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  // Liveness, readiness, /metrics and the shutdown gate: first, before sessions or the database.
  registerOps(app, deps, {
    lifecycle: options.lifecycle ?? new Lifecycle('ready'),
    details: options.readiness ?? (() => readiness(deps, services)),
  });
  // Several nodes in manual mode share one clock: each request reads it first (system/clock.ts).
  if (deps.clock.mode === 'manual') app.addHook('onRequest', () => deps.clock.refresh());
  registerAccessControl(app, services.auth, services.holders);
  registerTextGuard(app);
  registerErrorHandling(app, deps);
  registerIdempotency(app, deps.repos.idempotency);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const given = req.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given))
      reply.header('x-client-request-id', given);
  });
  app.addHook('onResponse', async (req, reply) => {
    const changed =
      MUTATING.has(req.method) && reply.statusCode < 400 && !req.routeOptions.config?.readOnly;
    if (changed && req.routeOptions.url?.startsWith('/api/') && !req.ctx?.answer) {
      // Every state change goes through the act step (acts/act-step.ts), which audits it in its
      // transaction and presents its answer; a route that answered without it is a bug.
      req.log.error({ route: req.routeOptions.url }, 'state change outside the act step');
    }
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        actor: req.ctx?.actor?.staffId ?? null,
      },
      'request',
    );
  });

  systemRoutes(app, deps);
  authRoutes(app, services.auth);
  organizationsRoutes(app, services.organizations);
  staffRoutes(app, services.staff);
  personsRoutes(app, services.persons);
  auditRoutes(app, deps);
  alertsRoutes(app, services.alerts);
  jobsRoutes(app, services.jobs);
  queueRoutes(app, services.queueJobs);
  notificationsRoutes(app, services.notifications);
  policyRoutes(app, deps, services.fees);
  calendarRoutes(app, deps.calendar, deps.acts);
  const now = () => deps.clock.now();
  applicationsRoutes(app, services.applications, services.keyChanges, now);
  cardsRoutes(app, services.cards, now);
  permissionsRoutes(app, services.permissions, now);
  statsRoutes(app, deps);
  terminalsRoutes(app, services.terminals);
  verificationRoutes(app, services.verification);
  denyListRoutes(app, services.denyList, services.verification);
  ecardsRoutes(app, services.ecards);
  holdersRoutes(app, services.holders, services.notify);
  ledgersRoutes(app, services.ledgers);
  referralsRoutes(app, services.referrals);
  rostersRoutes(app, services.rosters);
  // The simulators' return files are offered only where the built-in bank simulator runs (demos).
  productionRoutes(app, services.production, services.bank instanceof BankSimulator);
  bankFilesRoutes(app, services.bankFiles, services.bank instanceof BankSimulator);

  if (options.web) await (await import('./http/web.js')).registerWeb(app, options.web);
  await app.ready();
  return app;
}
