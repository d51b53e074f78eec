/**
 * Liveness, readiness and /metrics (docs/OPERATIONS.md), on the test platform: what each answers,
 * who may read the metrics, that the act step counts acts and refusals by rule once, that
 * requests are labelled by route pattern (never the raw URL), and that readiness follows the
 * database-wide facts (a broken audit chain until acknowledged) and the node's own shutdown.
 */
import { DomainError, mod11_2CheckChar } from '@sscard/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { systemContext } from '../context.js';
import { buildWorld, type World } from '../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../testing/harness.js';
import { Lifecycle } from './lifecycle.js';
import { metricsAccess } from './ops.routes.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
}, 180_000);
afterAll(() => t.close());

const metrics = async () => {
  const res = await t.api({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.body;
};

/** The value of one series, labels given in the order prom-client prints them. */
function value(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

describe('liveness and readiness', () => {
  it('/livez and /healthz answer; /readyz lists its checks', async () => {
    expect((await t.api({ method: 'GET', url: '/livez' })).json()).toEqual({ status: 'ok' });
    expect((await t.api({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.api({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { lifecycle: 'ready', database: 'ok', rulePacks: 'ok', auditChain: 'ok' },
    });
  });

  it('a node that is stopping: /readyz 503 at once, then new requests refused with Connection: close', async () => {
    const lifecycle = new Lifecycle('ready');
    const app = await buildApp(t.platform.deps, t.platform.services, { lifecycle });
    try {
      lifecycle.beginShutdown();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'stopping', checks: { lifecycle: 'stopping' } });
      // Still served until it refuses (SSCARD_SHUTDOWN_DELAY_SECONDS), closing the connection.
      const during = await app.inject({ method: 'GET', url: '/api/v1/problems' });
      expect(during.statusCode).toBe(200);
      expect(during.headers.connection).toBe('close');
      lifecycle.refuseRequests();
      const refused = await app.inject({
        method: 'GET',
        url: '/api/v1/problems',
        headers: { 'accept-language': 'en' },
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers.connection).toBe('close');
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ code: 'SHUTTING_DOWN', status: 503 });
      expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('/metrics', () => {
  it('is Prometheus text with the process, pool, audit, job and queue metrics', async () => {
    const text = await metrics();
    for (const name of [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'sscard_db_pool_connections',
      'sscard_db_pool_waiting',
      'sscard_audit_chain_intact',
      'sscard_audit_chain_broken_alerts',
      'sscard_queue_table_present',
      'sscard_ready',
      'sscard_shutting_down',
      'sscard_info',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(value(text, 'sscard_ready')).toBe(1);
    expect(value(text, 'sscard_db_pool_connections{state="max"}')).toBe(
      process.env.DATABASE_URL ? 5 : 1,
    );
    // The queue's depths are read (its table exists since migration 0016) without error.
    expect(value(text, 'sscard_queue_table_present')).toBe(1);
    expect(value(text, 'sscard_metrics_collect_errors_total{collector="queue"}')).toBeUndefined();
  });

  it('counts requests by route pattern and status, never the raw URL', async () => {
    const idNumber = '110105194912310' + '05';
    const created = await t.api({
      method: 'POST',
      url: '/api/v1/persons',
      token: w.tokens.branchA,
      payload: {
        idType: 'resident_id',
        idNumber: idNumber + mod11_2CheckChar(idNumber),
        name: '指标',
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/persons/${id}`, token: w.tokens.branchA }))
        .statusCode,
    ).toBe(200);
    await t.api({ method: 'GET', url: `/no/such/route/${id}` });
    const text = await metrics();
    expect(text).not.toContain(id);
    expect(text).not.toContain(idNumber);
    expect(
      value(
        text,
        'sscard_http_requests_total{method="GET",route="/api/v1/persons/:id",status="200"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(text, 'sscard_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(
      /sscard_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/api\/v1\/persons",status_class="2xx"\} \d/,
    );
    expect(
      value(text, 'sscard_acts_total{act="person.create",result="success"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts refusals by code and rule, once per act, whoever ran the act', async () => {
    const before =
      value(await metrics(), 'sscard_refusals_total{code="LOSS_NOT_ALLOWED",rule="SH-18"}') ?? 0;
    const refusing = () =>
      t.platform.deps.acts.run(systemContext('metrics-test'), {
        name: 'audit.verify',
        resource: 'audit',
        load: async () => ({}),
        target: () => ({ type: 'audit', id: null, jurisdiction: null }),
        apply: async () => {
          throw new DomainError('LOSS_NOT_ALLOWED', {}, { rule: 'SH-18' });
        },
      });
    await expect(refusing()).rejects.toBeInstanceOf(DomainError);
    await expect(refusing()).rejects.toBeInstanceOf(DomainError);
    const text = await metrics();
    expect(value(text, 'sscard_refusals_total{code="LOSS_NOT_ALLOWED",rule="SH-18"}')).toBe(
      before + 2,
    );
    expect(
      value(text, 'sscard_acts_total{act="audit.verify",result="refused"}'),
    ).toBeGreaterThanOrEqual(2);
  });

  it('reports job runs and the last audit verification; a broken chain makes the node unready until acknowledged', async () => {
    const run = await t.api({
      method: 'POST',
      url: '/api/v1/jobs/audit.verify/run',
      token: w.tokens.admin,
    });
    expect(run.statusCode).toBe(200);
    let text = await metrics();
    expect(
      value(text, 'sscard_job_runs{job_name="audit.verify",status="succeeded"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value(text, 'sscard_job_last_run_failed{job_name="audit.verify"}')).toBe(0);
    expect(value(text, 'sscard_audit_chain_intact')).toBe(1);
    expect(value(text, 'sscard_audit_chain_last_verified_timestamp_seconds')).toBeGreaterThan(0);

    await t.platform.services.alerts.raise({
      kind: 'audit.chain_broken',
      severity: 'critical',
      key: 'metrics-test',
      details: { shard: 0, seq: 1, problem: 'altered' },
      message: 'test break',
    });
    const unready = await t.api({ method: 'GET', url: '/readyz' });
    expect(unready.statusCode).toBe(503);
    expect(unready.json().checks.auditChain).toBe('broken');
    text = await metrics();
    expect(value(text, 'sscard_audit_chain_broken_alerts')).toBe(1);
    expect(value(text, 'sscard_ready')).toBe(0);

    const alerts = await t.api({ method: 'GET', url: '/api/v1/alerts', token: w.tokens.auditor });
    const alert = alerts
      .json()
      .items.find((a: { kind: string }) => a.kind === 'audit.chain_broken');
    const ack = await t.api({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/acknowledge`,
      token: w.tokens.auditor,
      headers: { 'x-sscard-reason': 'examined' },
    });
    expect(ack.statusCode).toBe(200);
    expect((await t.api({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe('who may read /metrics', () => {
  const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({
    headers,
    socket: { remoteAddress } as never,
  });

  it('without a token: this machine only, and not through a proxy; 404 elsewhere', async () => {
    expect(metricsAccess(req('127.0.0.1'), undefined)).toBe('ok');
    expect(metricsAccess(req('::1'), undefined)).toBe('ok');
    expect(metricsAccess(req('::ffff:127.0.0.1'), undefined)).toBe('ok');
    expect(metricsAccess(req('10.0.0.7'), undefined)).toBe(404);
    expect(metricsAccess(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe(
      404,
    );
    const far = await t.api({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.7' });
    expect(far.statusCode).toBe(404);
    expect(far.body).not.toContain('sscard_');
  });

  it('with SSCARD_METRICS_TOKEN: the bearer token only, from anywhere; 401 otherwise', () => {
    const token = 'metrics-secret-0123456789';
    expect(metricsAccess(req('10.0.0.7', { authorization: `Bearer ${token}` }), token)).toBe('ok');
    expect(metricsAccess(req('127.0.0.1'), token)).toBe(401);
    expect(metricsAccess(req('127.0.0.1', { authorization: 'Bearer wrong' }), token)).toBe(401);
  });
});
