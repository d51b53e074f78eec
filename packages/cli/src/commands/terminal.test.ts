/**
 * `sscard terminal …` and `sscard verify …` against a real server on a port: a centre registers a
 * reader (its key printed once), a terminal checks a card with that key, the centre suspends the
 * reader and the next check is refused; the PIN check follows FZ-32's places.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../../server/src/testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../../server/src/testing/harness.js';
import { registerPerson } from '../../../server/src/testing/people.js';
import { run } from '../testing.js';

let t: TestPlatform;
let w: World;
let url: string;
let cardNo: string;
let centre: string;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
  const post = (u: string, payload: object = {}) =>
    t.api({ method: 'POST', url: u, token: w.tokens.branchA, payload: payload as never });
  const person = await registerPerson(t, w.tokens.branchA, { county: '350102' });
  const app = await post('/api/v1/applications', {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  cardNo = (await post(`/api/v1/applications/${app.json().id}/produce`)).json().cardNo;
  await post(`/api/v1/cards/${cardNo}/issue`, { to: 'holder' });
  centre = w.tokens.centre;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  delete process.env.SSCARD_TERMINAL_KEY;
  delete process.env.SSCARD_PIN;
  await t?.close();
});

describe('sscard terminal and sscard verify', () => {
  it('register, check with the key, suspend, refused', async () => {
    const api = ['--url', url, '--token', centre];
    const reg = await run(
      'terminal',
      'register',
      ...api,
      '--organization',
      w.pharmacyId,
      '--kind',
      'pos',
      '--label',
      '收银台读卡器',
      '--rate',
      '1000',
    );
    expect(reg.code, reg.out).toBe(0);
    const { terminal, apiKey } = JSON.parse(reg.out) as {
      terminal: { id: string };
      apiKey: string;
    };
    expect(apiKey).toMatch(/^sst_/);

    const list = await run('terminal', 'list', ...api, '--organization', w.pharmacyId);
    expect(list.out).toContain(terminal.id);
    expect(list.out).not.toContain(apiKey);
    // Paged like the API: the answer says the total; --offset reads on past it.
    const past = await run(
      'terminal',
      'list',
      ...api,
      '--organization',
      w.pharmacyId,
      '--offset',
      '1000',
    );
    expect(JSON.parse(past.out)).toMatchObject({ items: [] });
    expect(JSON.parse(past.out).total).toBeGreaterThan(0);

    process.env.SSCARD_TERMINAL_KEY = apiKey;
    const ok = await run('verify', 'card', cardNo, '--url', url);
    expect(ok.code, ok.out).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ valid: true, cardNo });

    process.env.SSCARD_PIN = '888888';
    const pin = await run('verify', 'pin', cardNo, '--url', url);
    expect(JSON.parse(pin.out)).toMatchObject({ valid: true });

    const suspended = await run('terminal', 'suspend', terminal.id, ...api, '--reason', '设备送修');
    expect(suspended.code, suspended.out).toBe(0);
    const refused = await run('verify', 'card', cardNo, '--url', url);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/TERMINAL_NOT_ACTIVE/);
  });

  it('a PIN check at a bank branch’s reader is refused with FZ-32 (pharmacies only)', async () => {
    const api = ['--url', url, '--token', centre];
    const branchReader = await run(
      'terminal',
      'register',
      ...api,
      '--organization',
      w.branchA,
      '--label',
      '柜面读卡器',
      '--rate',
      '1000',
    );
    process.env.SSCARD_TERMINAL_KEY = JSON.parse(branchReader.out).apiKey;
    process.env.SSCARD_PIN = '888888';
    const pin = await run('verify', 'pin', cardNo, '--url', url);
    expect(pin.code).toBe(1);
    expect(pin.out).toMatch(/PIN_PLACE_NOT_ALLOWED/);
    expect(pin.out).toMatch(/rule FZ-32/);
  });

  it('without a terminal key nothing is sent', async () => {
    delete process.env.SSCARD_TERMINAL_KEY;
    expect((await run('verify', 'card', cardNo, '--url', url)).code).toBe(1);
  });
});
