/**
 * `sscard login` and `sscard card <act>` against a real server listening on a port: the acts go
 * through the API's act step like any counter's, with the same refusals and their articles.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedCard } from '../../../server/src/testing/cards.js';
import { buildWorld, STAFF_PASSWORD, type World } from '../../../server/src/testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../../server/src/testing/harness.js';
import { run } from '../testing.js';

let t: TestPlatform;
let w: World;
let url: string;
let cardNo: string;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
  cardNo = (await issuedCard(t, w)).cardNo;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  delete process.env.SSCARD_PASSWORD;
  await t?.close();
});

async function login(username: string): Promise<string> {
  process.env.SSCARD_PASSWORD = STAFF_PASSWORD;
  const { out, code } = await run('login', '--url', url, '--username', username);
  expect(code).toBe(0);
  return out.trim();
}

describe('sscard card', () => {
  it('lists the acts from the server’s own table', async () => {
    const { out, code } = await run('card', 'acts');
    expect(code).toBe(0);
    for (const act of ['issue', 'loss', 'unreport', 'cancel', 'pin/reset', 'undeliverable'])
      expect(out).toContain(act);
  });

  it('a refusal prints its code and the article that refused (SH-18: temporary loss by phone)', async () => {
    const token = await login('sh.brancha');
    const args = ['card', 'loss', cardNo, '--url', url, '--token', token];
    const refused = await run(...args, '--set', 'kind=temporary');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/PLACE_NOT_ALLOWED/);
    expect(refused.out).toMatch(/rule SH-18/);
  });

  it('an act done, and its retry with the same key answers the first answer', async () => {
    const token = await login('sh.brancha');
    const args = ['card', 'loss', cardNo, '--url', url, '--token', token, '--key', 'cli-loss-1'];
    const first = await run(...args, '--set', 'kind=temporary', '--set', 'via=phone');
    expect(first.code, first.out).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ cardNo, loss: { kind: 'temporary' } });
    const again = await run(...args, '--json', '{"kind":"temporary","via":"phone"}');
    expect(again.code, again.out).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(first.out));
    const shown = await run('card', 'show', cardNo, '--url', url, '--token', token);
    expect(JSON.parse(shown.out)).toMatchObject({ cardNo, loss: { kind: 'temporary' } });
  });

  it('another bank’s counter gets the card as if it did not exist', async () => {
    const token = await login('sh.branchb');
    const { out, code } = await run('card', 'suspend', cardNo, '--url', url, '--token', token);
    expect(code).toBe(1);
    expect(out).toMatch(/404 (CARD_)?NOT_FOUND/);
  });

  it('bad input is a clear error, not a crash', async () => {
    const token = await login('sh.brancha');
    const { code } = await run(
      'card',
      'loss',
      cardNo,
      '--url',
      url,
      '--token',
      token,
      '--json',
      '{',
    );
    expect(code).toBe(1);
    const unreachable = await run('card', 'show', cardNo, '--url', 'http://127.0.0.1:1');
    expect(unreachable.code).toBe(1);
  });
});
