/**
 * A QR code is accepted once across the installation (docs/ECARD.md): two server processes on one
 * PostgreSQL are shown the same code at the same moment, many times over; exactly one check in
 * each round answers 200, whichever node it reached. Needs a PostgreSQL server: DATABASE_URL, or
 * the local one on 127.0.0.1:5432; skipped (and said so) without one, since the embedded database
 * serves one process only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresServerUrl } from '../../testing/postgres-server.js';
import { loadConfig } from '../../config.js';
import type { ActContext } from '../../context.js';
import { openPlatform, type Platform } from '../../platform.js';
import {
  installationOn,
  startServer,
  type Installation,
  type ServerProcess,
} from '../../testing/server-process.js';
import { fakeJpeg } from '@sscard/domain/testing';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD } from '../../demo/seed.js';
import type { App } from '../../http/app-types.js';
import { residentId } from '../../testing/people.js';
import { FZ_PHARMACY_KEY, fzCard, loginFzBranch } from '../verification/over-http.js';

const url = await postgresServerUrl();
if (!url) console.warn('replay.test.ts: no PostgreSQL server reachable; two-node test skipped');

function holderCtx(personId: string): ActContext {
  return {
    actor: {
      staffId: null,
      username: `holder:${personId}`,
      role: 'holder',
      organizationId: null,
      organizationKind: null,
      bankId: null,
      jurisdiction: null,
      scope: { kind: 'organization', organizationId: '' },
      sessionId: null,
      holder: { personId, wards: [] },
    },
    requestId: null,
    ip: null,
    reason: null,
    locale: 'en',
    audited: false,
  };
}

async function scan(base: string, token: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/verify/qr`, {
    method: 'POST',
    headers: { authorization: `Terminal ${FZ_PHARMACY_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  const body = await res.text();
  if (res.status !== 200 && res.status !== 409) console.warn(`verify/qr: ${res.status} ${body}`);
  return res.status;
}

/** A platform of its own (pool, batcher, key cache) on the installation's database. */
async function node(inst: Installation): Promise<{ platform: Platform; app: App }> {
  const platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
  return { platform, app: await buildApp(platform.deps, platform.services) };
}

async function installation(): Promise<Installation> {
  const inst = await installationOn('postgres', url);
  await inst.query('update terminals set rate_limit_per_second = 100000');
  return inst;
}

/** A live FZ card of a new holder, made at the demo branch through one node's API. */
async function liveCardOn(app: App): Promise<{ cardNo: string; personId: string }> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'fz.bank1.br1', password: DEMO_PASSWORD },
  });
  const token = login.json<{ token: string }>().token;
  const call = async (path: string, payload: object, method: 'POST' | 'PUT' = 'POST') => {
    const res = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, unknown>>();
  };
  const person = await call('/api/v1/persons', {
    idType: 'resident_id',
    idNumber: residentId('1981-03-03', '350102'),
    name: '扫码测试',
    phone: '13800138000',
  });
  const photo = await app.inject({
    method: 'PUT',
    url: `/api/v1/persons/${person.id as string}/photo`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
    payload: Buffer.from(fakeJpeg(358, 441, 2000)),
  });
  if (photo.statusCode >= 300) throw new Error(`photo: ${photo.statusCode} ${photo.body}`);
  const application = await call('/api/v1/applications', {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  const made = await call(`/api/v1/applications/${application.id as string}/produce`, {});
  const cardNo = made.cardNo as string;
  await call(`/api/v1/cards/${cardNo}/issue`, { to: 'holder' });
  return { cardNo, personId: person.id as string };
}

describe.skipIf(!url)('a QR code on two platforms (pools, batchers) of one PostgreSQL', () => {
  let inst: Installation;
  let a: { platform: Platform; app: App };
  let b: { platform: Platform; app: App };

  beforeAll(async () => {
    inst = await installation();
    a = await node(inst);
    await a.platform.deps.clock.set(new Date()); // saved: b's manual clock starts from it
    b = await node(inst);
  }, 240_000);
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await a?.platform.close();
    await b?.platform.close();
    await inst?.dispose();
  });

  it('is accepted by exactly one check, whichever platform it reaches', async () => {
    const { cardNo, personId } = await liveCardOn(a.app);
    const ctx = holderCtx(personId);
    const ecard = await a.platform.services.ecards.issue(ctx, cardNo);
    for (let round = 0; round < 10; round++) {
      const { token } = await b.platform.services.ecards.mintQr(ctx, ecard.ecard.id);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? b : a).app.inject({
            method: 'POST',
            url: '/api/v1/verify/qr',
            headers: { authorization: `Terminal ${FZ_PHARMACY_KEY}` },
            payload: { token },
          }),
        ),
      );
      const codes = answers.map((r) => r.statusCode);
      expect(
        codes.filter((s) => s === 200),
        answers.map((r) => r.body).join('\n'),
      ).toHaveLength(1);
      expect(codes.filter((s) => s === 409)).toHaveLength(7);
    }
  }, 120_000);
});

describe.skipIf(!url)('a QR code on two nodes of one PostgreSQL', () => {
  let inst: Installation;
  let a: ServerProcess;
  let b: ServerProcess;
  let platform: Platform;

  beforeAll(async () => {
    inst = await installation();
    // The holder's side in-process on the same database (their sign-in is the portal's). Each
    // process in manual mode reads the clock saved in the database at start: save one first.
    platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
    await platform.deps.clock.set(new Date());
    // One after the other: two compiling at once on a busy machine may miss the start deadline.
    a = await startServer(inst);
    b = await startServer(inst);
  }, 240_000);
  afterAll(async () => {
    await platform?.close();
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await inst?.dispose();
  });

  it('is accepted by exactly one check, whichever node it reaches', async () => {
    const token = await loginFzBranch(a.url);
    const cardNo = await fzCard(a.url, token);
    const [card] = await inst.query<{ person_id: string }>(
      'select person_id from cards where card_no = $1',
      [cardNo],
    );
    const ctx = holderCtx(card!.person_id);
    const ecard = await platform.services.ecards.issue(ctx, cardNo);
    for (let round = 0; round < 10; round++) {
      const { token: code } = await platform.services.ecards.mintQr(ctx, ecard.ecard.id);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => scan(i % 2 ? b.url : a.url, code)),
      );
      expect(answers.filter((s) => s === 200)).toHaveLength(1);
      expect(answers.filter((s) => s === 409)).toHaveLength(7);
    }
    const [used] = await inst.query<{ n: string }>('select count(*) as n from ecard_qr_used');
    expect(Number(used!.n)).toBe(10);
  }, 120_000);
});
