/**
 * The offline deny-list (docs/DENY-LIST.md) on a real database, as one Shanghai story on the
 * manual clock: the first build lists a card already lost; a loss makes a new version whose delta
 * adds exactly that card; nothing changed, no new version; a read builds first once the last
 * build is older than the maximum age; an un-report, and a temporary loss that lapses by itself
 * (SH-18), remove the card in the next version; a replaced card and a holder's death list the
 * card; a validity that runs out lists it; two concurrent builds make one version; a delta since
 * version 0 is the full list; a version the server never made is refused. Every answer's
 * signature verifies, and fails once a card number, the version or `since` is altered.
 */
import { createPublicKey } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '@sscard/domain';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccessControl } from '../../http/app-context.js';
import type { App } from '../../http/app-types.js';
import { registerErrorHandling } from '../../http/errors.js';
import { Citation, Problem } from '../../http/schemas.js';
import { validatorCompiler } from '../../http/validation.js';
import { findHolder, issuedCard, type IssuedCard } from '../../testing/cards.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { DenyListRepository } from './deny-list.repository.js';
import { denyListRoutes } from './deny-list.routes.js';
import { DenyListService } from './deny-list.service.js';
import {
  DENY_LIST_FORMAT,
  DenyListSigner,
  canonicalDenyList,
  verifyDenyList,
  type SignedDenyList,
} from './deny-list.signing.js';
import type { TerminalAuth } from '../terminals/terminal-auth.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const GATE_KEY = 'Terminal gate-key-for-the-test';

let t: TestPlatform;
let w: World;
let service: DenyListService;
let app: App;
const card: Record<'A' | 'B' | 'C' | 'D' | 'E', IssuedCard> = {} as never;
let replacement: string;

/** Stands in for the terminals module: one gate in Shanghai. */
const terminals: TerminalAuth = {
  async authenticate(req) {
    if (req.headers.authorization !== GATE_KEY) throw new DomainError('TERMINAL_AUTH_REQUIRED');
    return {
      terminalId: '0190a000-0000-7000-8000-000000000001',
      label: 'Metro gate 1',
      organizationId: '0190a000-0000-7000-8000-000000000002',
      organizationName: 'Metro',
      organizationKind: 'service_point',
      servicePointKind: 'transit',
      jurisdiction: '310000',
      kind: 'gate',
      rateLimitPerSecond: 50,
      place: null,
    };
  },
};

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'SH', '310000');
  // Pages of two cards: the full build crosses page boundaries.
  service = new DenyListService(t.platform.deps, new DenyListRepository(t.platform.deps.db), {
    chunk: 2,
    maxAgeSeconds: 60,
  });
  for (const name of ['A', 'B', 'C', 'D', 'E'] as const) card[name] = await issuedCard(t, w);

  app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(Citation);
  app.addSchema(Problem);
  registerAccessControl(app, t.platform.services.auth, t.platform.services.holders);
  registerErrorHandling(app, t.platform.deps);
  denyListRoutes(app, service, terminals);
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await t?.close();
});

const post = async (url: string, token: string, payload: object = {}) => {
  const res = await t.api({
    method: 'POST',
    url,
    token,
    payload: payload as Record<string, unknown>,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
};
const lose = (cardNo: string, kind: 'temporary' | 'formal', token = w.tokens.centre) =>
  post(
    `/api/v1/cards/${cardNo}/loss`,
    token,
    kind === 'temporary' ? { kind, via: 'phone' } : { kind },
  );

const fetchList = (since?: number) =>
  app.inject({
    method: 'GET',
    url: `/api/v1/verify/deny-list${since === undefined ? '' : `?since=${since}`}`,
    headers: { authorization: GATE_KEY },
  });
const publicKey = () => service.publicKey().publicKey;
const entry = (cardNo: string, ...reasons: string[]) => ({ cardNo, reasons });
const version = async () => (await service.read('310000', null)).version;

describe('the offline deny-list', () => {
  it('the first build looks at every card handed over and lists the one already lost', async () => {
    await lose(card.B.cardNo, 'temporary');
    const report = await service.build();
    expect(report).toMatchObject({ outcome: 'built', full: true, looked: 5, changed: 1, added: 1 });
    expect(report.version).toBe(1);
    const list = await service.read('310000', null);
    expect(list).toMatchObject({
      format: DENY_LIST_FORMAT,
      jurisdiction: '310000',
      version: 1,
      since: null,
      full: true,
      added: [entry(card.B.cardNo, 'lost')],
      removed: [],
      keyId: service.publicKey().keyId,
    });
    expect(verifyDenyList(list, publicKey())).toBe(true);
  });

  it('a loss makes a new version whose delta adds exactly that card, with reason lost', async () => {
    await findHolder(t, w.tokens.community, card.A.idNumber);
    await lose(card.A.cardNo, 'formal', w.tokens.community);
    const report = await service.build();
    expect(report).toMatchObject({ outcome: 'built', full: false, version: 2, changed: 1 });
    const delta = await service.read('310000', 1);
    expect(delta).toMatchObject({ version: 2, since: 1, full: false, removed: [] });
    expect(delta.added).toEqual([entry(card.A.cardNo, 'lost')]);
    expect(verifyDenyList(delta, publicKey())).toBe(true);
    // Nothing for a gate that already holds version 2.
    expect(await service.read('310000', 2)).toMatchObject({ added: [], removed: [] });
  });

  it('nothing changed: no new version, however often it is built', async () => {
    for (let i = 0; i < 3; i++)
      expect(await service.build()).toMatchObject({ version: 2, changed: 0 });
    expect(await service.build({ full: true })).toMatchObject({
      version: 2,
      full: true,
      looked: 5,
      changed: 0,
    });
  });

  it('a read builds first only once the last build is older than the maximum age', async () => {
    await lose(card.C.cardNo, 'temporary');
    // The clock stands still: the last build is younger than 60 s, the read serves version 2.
    expect(await service.read('310000', 2)).toMatchObject({ version: 2, added: [] });
    await t.setClock(new Date(TEST_START.getTime() + MINUTE));
    const delta = await service.read('310000', 2);
    expect(delta).toMatchObject({ version: 3, added: [entry(card.C.cardNo, 'lost')], removed: [] });
    expect(delta.issuedAt).toBe(new Date(TEST_START.getTime() + MINUTE).toISOString());
  });

  it('an un-report removes the card in the next version', async () => {
    // SH-19: at the community outlet, with the holder's document.
    await findHolder(t, w.tokens.community, card.C.idNumber);
    await post(`/api/v1/cards/${card.C.cardNo}/unreport`, w.tokens.community, {});
    expect(await service.build()).toMatchObject({ version: 4, changed: 1, removed: 1 });
    expect(await service.read('310000', 3)).toMatchObject({
      version: 4,
      full: false,
      added: [],
      removed: [card.C.cardNo],
    });
    // The full list no longer has it; a gate that missed both versions is told to drop it.
    const full = await service.read('310000', null);
    expect(full.added.map((e) => e.cardNo)).not.toContain(card.C.cardNo);
    expect((await service.read('310000', 2)).removed).toEqual([card.C.cardNo]);
  });

  it('a replaced card is listed once the new card is issued (SH-23); the new card is not', async () => {
    const token = w.tokens.branchA;
    const repl = await post('/api/v1/applications', token, {
      personId: card.A.personId,
      kind: 'replacement',
      oldCardNo: card.A.cardNo,
      production: 'instant',
    });
    const made = await post(`/api/v1/applications/${String(repl.id)}/produce`, token);
    replacement = String(made.cardNo);
    await post(`/api/v1/cards/${replacement}/issue`, token, { to: 'holder' });
    const social = await t.api({ method: 'GET', url: `/api/v1/cards/${replacement}`, token });
    if (!social.json<{ usable: boolean }>().usable)
      await post(`/api/v1/cards/${replacement}/activate`, token, { function: 'social' });

    expect(await service.build()).toMatchObject({ version: 5, changed: 1 });
    const delta = await service.read('310000', 4);
    expect(delta.added).toEqual([entry(card.A.cardNo, 'lost', 'replaced')]);
    expect(delta.removed).toEqual([]);
    const full = await service.read('310000', null);
    expect(full.added.map((e) => e.cardNo)).toEqual([card.A.cardNo, card.B.cardNo].sort());
  });

  it('a holder’s death lists their card', async () => {
    await post(`/api/v1/persons/${card.D.personId}/death`, w.tokens.branchA, {
      diedOn: '2026-05-06',
      evidence: '死亡医学证明 No. 3101001',
    });
    expect(await service.build()).toMatchObject({ version: 6, changed: 1 });
    const delta = await service.read('310000', 5);
    expect(delta.added).toHaveLength(1);
    expect(delta.added[0]!.cardNo).toBe(card.D.cardNo);
    expect(delta.added[0]!.reasons).toContain('holder_deceased');
  });

  it('two builds at once make one version for one change', async () => {
    await lose(card.E.cardNo, 'temporary');
    const [one, two] = await Promise.all([service.build(), service.build()]);
    expect([one.version, two.version]).toEqual([7, 7]);
    expect(one.changed + two.changed).toBe(1);
    expect(await version()).toBe(7);
    expect((await service.read('310000', 6)).added).toEqual([entry(card.E.cardNo, 'lost')]);
  });

  it('a delta since version 0 is the full list', async () => {
    const full = await service.read('310000', null);
    const fromZero = await service.read('310000', 0);
    expect(fromZero).toMatchObject({ version: full.version, full: true, since: 0, removed: [] });
    expect(fromZero.added).toEqual(full.added);
    expect(full.added.map((e) => e.cardNo)).toEqual(
      [card.A.cardNo, card.B.cardNo, card.D.cardNo, card.E.cardNo].sort(),
    );
    expect(verifyDenyList(fromZero, publicKey())).toBe(true);
  });

  it('over HTTP: the terminal’s list, signed; the public key; a version never made is refused', async () => {
    const res = await fetchList(4);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<SignedDenyList>();
    expect(list).toMatchObject({ jurisdiction: '310000', version: 7, since: 4, full: false });

    const key = await app.inject({ method: 'GET', url: '/api/v1/verify/deny-list/key' });
    expect(key.statusCode).toBe(200);
    const k = key.json<{
      algorithm: string;
      keyId: string;
      publicKey: string;
      publicKeyPem: string;
    }>();
    expect(k).toMatchObject({ algorithm: 'Ed25519', keyId: list.keyId });
    const fromPem = createPublicKey(k.publicKeyPem).export({ format: 'der', type: 'spki' });
    expect(fromPem.subarray(-32).toString('base64')).toBe(k.publicKey);
    expect(verifyDenyList(list, k.publicKey)).toBe(true);

    const ahead = await fetchList(8);
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json()).toMatchObject({ code: 'DENY_LIST_VERSION_UNKNOWN' });
    const negative = await fetchList(-1);
    expect(negative.statusCode).toBe(422);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/verify/deny-list' });
    expect(anonymous.statusCode).toBe(401);
    const stranger = await app.inject({
      method: 'GET',
      url: '/api/v1/verify/deny-list',
      headers: { authorization: 'Terminal not-a-registered-key' },
    });
    expect(stranger.statusCode).toBe(401);
    expect(stranger.json()).toMatchObject({ code: 'TERMINAL_AUTH_REQUIRED' });
  });

  it('the signature fails once a card number, a reason, the version or since is altered', async () => {
    const delta = await service.read('310000', 3);
    expect(delta.added.length).toBeGreaterThan(0);
    expect(delta.removed.length).toBeGreaterThan(0);
    const key = publicKey();
    expect(verifyDenyList(delta, key)).toBe(true);
    // A list that went through JSON, as a gate stores it, still verifies.
    expect(verifyDenyList(JSON.parse(JSON.stringify(delta)), key)).toBe(true);

    const altered = (change: (l: SignedDenyList) => void) => {
      const copy = structuredClone(delta);
      change(copy);
      return verifyDenyList(copy, key);
    };
    const otherNo = (no: string) => no.slice(0, -2) + (no.endsWith('99') ? '98' : '99');
    expect(altered((l) => (l.added[0]!.cardNo = otherNo(l.added[0]!.cardNo)))).toBe(false);
    expect(altered((l) => (l.removed[0] = otherNo(l.removed[0]!)))).toBe(false);
    expect(altered((l) => l.added.pop())).toBe(false);
    expect(altered((l) => l.removed.pop())).toBe(false);
    expect(altered((l) => (l.added[0]!.reasons = ['expired']))).toBe(false);
    expect(altered((l) => (l.version += 1))).toBe(false);
    expect(altered((l) => (l.since = 2))).toBe(false);
    expect(altered((l) => (l.since = null))).toBe(false);
    expect(altered((l) => (l.full = true))).toBe(false);
    expect(altered((l) => (l.jurisdiction = '460000'))).toBe(false);
    expect(altered((l) => (l.issuedAt = new Date(0).toISOString()))).toBe(false);
    expect(altered((l) => (l.signature = Buffer.alloc(64).toString('base64')))).toBe(false);
    // Order within the lists is not signed (the canonical form sorts); the contents are.
    expect(altered((l) => l.added.reverse())).toBe(true);
    // Another installation's key does not verify it; malformed input is simply not valid.
    expect(verifyDenyList(delta, new DenyListSigner(Buffer.alloc(32, 1)).publicKey)).toBe(false);
    expect(verifyDenyList(null, key)).toBe(false);
    expect(verifyDenyList({ ...delta, version: '7' }, key)).toBe(false);
    expect(verifyDenyList(delta, 'not a key')).toBe(false);
  });

  it('signs a canonical text with one line per card, and the same key on every node', () => {
    const text = canonicalDenyList({
      format: DENY_LIST_FORMAT,
      jurisdiction: '310000',
      version: 3,
      since: null,
      full: true,
      issuedAt: '2026-05-06T01:00:00.000Z',
      added: [entry('310000000000029', 'lost'), entry('310000000000012', 'expired', 'lost')],
      removed: [],
    }).toString('utf8');
    expect(text).toBe(
      [
        'sscard-deny-list/1',
        'jurisdiction 310000',
        'version 3',
        'since -',
        'full true',
        'issuedAt 2026-05-06T01:00:00.000Z',
        '+310000000000012 expired,lost',
        '+310000000000029 lost',
        '',
      ].join('\n'),
    );
    // A second node (a new service on the same keyring) signs with the same key.
    const other = new DenyListService(t.platform.deps, new DenyListRepository(t.platform.deps.db));
    expect(other.publicKey()).toEqual(service.publicKey());
  });

  it('a temporary loss that lapses by itself (SH-18) is removed in the next version, with no act', async () => {
    // A build after the losses, so that only the lapse can bring the cards back.
    await t.setClock(new Date(TEST_START.getTime() + 60 * MINUTE));
    expect(await service.build()).toMatchObject({ version: 7, changed: 0 });
    await t.setClock(new Date(TEST_START.getTime() + 6 * DAY));
    const report = await service.build();
    expect(report).toMatchObject({ full: false, version: 8, changed: 2, removed: 2 });
    expect(await service.read('310000', 7)).toMatchObject({
      added: [],
      removed: [card.B.cardNo, card.E.cardNo].sort(),
    });
  });

  it('a validity that runs out lists the card the next day, with no act on it', async () => {
    // Shanghai sets no validity (HN-6 does: ten years); give the replacement card one that
    // ends tomorrow, as the card itself would carry it, without touching the card otherwise.
    const now = new Date(TEST_START.getTime() + 6 * DAY);
    await t.platform.deps.db
      .updateTable('cards')
      .set({ expires_on: '2026-05-13' })
      .where('card_no', '=', replacement)
      .execute();
    await t.setClock(new Date(now.getTime() + 60 * MINUTE));
    expect(await service.build()).toMatchObject({ version: 8, changed: 0 });
    await t.setClock(new Date('2026-05-13T15:59:00Z')); // 23:59 on its last day in Shanghai
    expect(await service.build()).toMatchObject({ version: 8, changed: 0 });
    await t.setClock(new Date('2026-05-13T16:01:00Z')); // 00:01 the day after
    const report = await service.build();
    expect(report).toMatchObject({ full: false, version: 9, changed: 1 });
    expect((await service.read('310000', 8)).added).toEqual([entry(replacement, 'expired')]);
  });

  it('a clock set back before the last build makes a full build', async () => {
    await t.setClock(TEST_START);
    // Back then the temporary losses ran and the replacement card was valid: all three change.
    expect(await service.build()).toMatchObject({ full: true, looked: 6, version: 10, changed: 3 });
  });
});
