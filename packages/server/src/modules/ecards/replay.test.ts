/**
 * A QR code is accepted once across the installation (docs/ECARD.md): two server processes on one
 * PostgreSQL are shown the same code at the same moment, many times over; exactly one check in
 * each round answers 200, whichever node it reached. Needs a PostgreSQL server: DATABASE_URL, or
 * the local one on 127.0.0.1:5432; skipped (and said so) without one, since the embedded database
 * serves one process only.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { ActContext } from '../../context.js';
import { openPlatform, type Platform } from '../../platform.js';
import {
  newInstallation,
  startServer,
  type Installation,
  type ServerProcess,
} from '../../testing/server-process.js';
import { FZ_PHARMACY_KEY, fzCard, loginFzBranch } from '../verification/over-http.js';

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const url = process.env.DATABASE_URL ?? ((await reachable(LOCAL)) ? LOCAL : undefined);
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
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(!url)('a QR code on two nodes of one PostgreSQL', () => {
  let inst: Installation;
  let a: ServerProcess;
  let b: ServerProcess;
  let platform: Platform;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    process.env.DATABASE_URL = url;
    try {
      inst = await newInstallation();
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
    await inst.query('update terminals set rate_limit_per_second = 100000');
    [a, b] = await Promise.all([startServer(inst), startServer(inst)]);
    // The holder's side in-process on the same database (their sign-in is the portal's).
    platform = await openPlatform({ config: loadConfig({ ...process.env, ...inst.env }) });
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
