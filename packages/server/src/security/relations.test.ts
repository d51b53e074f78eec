/**
 * The access matrix by relationship: every act on a card, an application and a person, tried by
 * callers that stand in different relationships to the target, and compared with a table
 * written by hand from the regulations (not derived from the policy table it checks):
 *
 * - the target: a Shanghai holder registered at bank A's branch, with an issued card there and
 *   an open application there;
 * - the callers: the Shanghai centre; bank A's branch (the holder's own); bank B's branch and the
 *   community outlet, first without and then with the holder in front of them (found by their
 *   full number); a Hainan branch, likewise; the auditor.
 *
 * Outcomes: `ok` (past access control: anything but 401, 403 and 404), `hidden` (404, exactly as
 * for a target that does not exist), `theirs` (403 NOT_RESPONSIBLE: it sees the target but it is
 * not its business), `role` (403 FORBIDDEN: the role holds no such permission). Bodies are the
 * routes' own examples, so validation passes and access decides.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHolder, issuedCard, openApplication, type IssuedCard } from '../testing/cards.js';
import { buildWorld, type World } from '../testing/fixtures.js';
import { formatCardNumber } from '@sscard/domain';
import { fakeJpeg } from '@sscard/domain/testing';
import {
  openRoutedPlatform,
  type RegisteredRoute,
  type RoutedPlatform,
} from './routed-platform.js';

type Outcome = 'ok' | 'hidden' | 'theirs' | 'role';
type Caller =
  | 'centre'
  | 'ownBranch'
  | 'otherBank'
  | 'otherBankPresent'
  | 'community'
  | 'communityPresent'
  | 'otherCity'
  | 'otherCityPresent'
  | 'auditor';

const CALLERS: readonly Caller[] = [
  'centre',
  'ownBranch',
  'otherBank',
  'otherBankPresent',
  'community',
  'communityPresent',
  'otherCity',
  'otherCityPresent',
  'auditor',
];

/** A row: the outcome for each caller, in CALLERS order. */
const row = (...outcomes: Outcome[]): Record<Caller, Outcome> =>
  Object.fromEntries(CALLERS.map((c, i) => [c, outcomes[i]!])) as Record<Caller, Outcome>;

/** Acts any counter of the jurisdiction does for the holder in front of it (FZ-32, SH-18). */
// prettier-ignore
const FOR_HOLDER = row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'hidden', 'role');
/** Acts only the card's bank or the centre does (cancel, take back, destroy). */
// prettier-ignore
const BANK_OR_CENTRE = row('ok', 'ok', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'hidden', 'role');
// prettier-ignore
const READ = row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'hidden', 'ok');
/** A role without the permission is refused before anything is looked up: it learns nothing. */
// prettier-ignore
const CENTRE_ONLY = row('ok', 'role', 'role', 'role', 'role', 'role', 'role', 'role', 'role');

// Columns: centre, own branch, other bank, +present, community, +present, other city, +present, auditor
// prettier-ignore
const EXPECTED: Record<string, Record<Caller, Outcome>> = {
  // ---- the card --------------------------------------------------------------------------
  'GET /api/v1/cards/:cardNo': READ,
  'POST /api/v1/cards/:cardNo/issue': row('ok', 'ok', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'hidden', 'role'),
  'POST /api/v1/cards/:cardNo/activate': FOR_HOLDER, // the example activates the social function
  'POST /api/v1/cards/:cardNo/loss': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/unreport': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/suspend': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/resume': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/freeze': CENTRE_ONLY,
  'POST /api/v1/cards/:cardNo/unfreeze': CENTRE_ONLY,
  'POST /api/v1/cards/:cardNo/cancel': BANK_OR_CENTRE,
  'POST /api/v1/cards/:cardNo/return': BANK_OR_CENTRE,
  'POST /api/v1/cards/:cardNo/destroy': BANK_OR_CENTRE,
  'POST /api/v1/cards/:cardNo/undeliverable': BANK_OR_CENTRE,
  'POST /api/v1/cards/:cardNo/bank-account-closed': BANK_OR_CENTRE,
  'POST /api/v1/cards/:cardNo/pin': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/pin/verify': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/pin/reset': FOR_HOLDER,
  'POST /api/v1/cards/:cardNo/pin/unlock': FOR_HOLDER,
  // ---- the application -------------------------------------------------------------------
  'GET /api/v1/applications/:id': READ,
  'POST /api/v1/applications/:id/withdraw': BANK_OR_CENTRE,
  'POST /api/v1/applications/:id/produce': row('role', 'ok', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'hidden', 'role'),
  // the example is the police check: the centre records the agencies' answers (SH-10)
  'POST /api/v1/applications/:id/checks': row('ok', 'theirs', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'hidden', 'role'),
  'POST /api/v1/applications/:id/delay-notice': row('ok', 'ok', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'hidden', 'role'),
  // ---- the person -------------------------------------------------------------------------
  'GET /api/v1/persons/:id': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'ok'),
  'GET /api/v1/persons/:id?view=full': row('ok', 'ok', 'hidden', 'theirs', 'hidden', 'theirs', 'hidden', 'theirs', 'role'),
  'PATCH /api/v1/persons/:id': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'role'),
  'POST /api/v1/persons/:id/death': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'role'),
  'PUT /api/v1/persons/:id/photo': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'role'),
  // key information changes where the person is registered (it applies for new cards there)
  'POST /api/v1/persons/:id/key-change': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'hidden', 'role'),
  // a Hainan counter serving the holder sees the person, and none of their Shanghai cards
  'GET /api/v1/persons/:id/cards': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'ok'),
  'GET /api/v1/persons/:id/applications': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'ok'),
  // an application in the counter's own jurisdiction (a Hainan counter applies in Hainan)
  'POST /api/v1/applications': row('ok', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'hidden', 'ok', 'role'),
};

let p: RoutedPlatform;
let sh: World;
let hn: World;
let card: IssuedCard;
let appId: string;
let appHolder: string;

const tokenOf = (c: Caller): string =>
  ({
    centre: sh.tokens.centre,
    ownBranch: sh.tokens.branchA,
    otherBank: sh.tokens.branchB,
    otherBankPresent: sh.tokens.branchB,
    community: sh.tokens.community,
    communityPresent: sh.tokens.community,
    otherCity: hn.tokens.branchA,
    otherCityPresent: hn.tokens.branchA,
    auditor: sh.tokens.auditor,
  })[c];

function outcomeOf(res: LightMyRequestResponse): Outcome | `other ${number}` {
  if (res.statusCode === 404 && res.json().code === 'NOT_FOUND') return 'hidden';
  if (res.statusCode === 403 && res.json().code === 'NOT_RESPONSIBLE') return 'theirs';
  if (res.statusCode === 403 && res.json().code === 'FORBIDDEN') return 'role';
  if ([401, 403, 404].includes(res.statusCode)) return `other ${res.statusCode}`;
  return 'ok';
}

function example(route: RegisteredRoute): unknown {
  const body = (route.schema as { body?: { examples?: unknown[] } } | undefined)?.body;
  return body?.examples?.[0];
}

async function call(key: string, caller: Caller): Promise<LightMyRequestResponse> {
  const [method, rawUrl] = key.split(' ') as [string, string];
  const [pattern, query] = rawUrl.split('?');
  const route = p.routes.find((r) => r.key === `${method} ${pattern}`);
  if (!route) throw new Error(`no route ${key}`);
  const url =
    pattern!
      .replace(':cardNo', card.cardNo)
      .replace(/\/applications\/:id/, `/applications/${appId}`)
      .replace(/\/persons\/:id/, `/persons/${card.personId}`) + (query ? `?${query}` : '');
  let payload = example(route) as Record<string, unknown> | undefined;
  const headers: Record<string, string> = { 'x-sscard-reason': encodeURIComponent('核对身份') };
  if (key === 'POST /api/v1/applications')
    payload = {
      personId: card.personId,
      kind: 'first',
      branchId: caller === 'otherCity' || caller === 'otherCityPresent' ? hn.branchA : sh.branchA,
    };
  if (key === 'PUT /api/v1/persons/:id/photo') {
    headers['content-type'] = 'image/jpeg';
    return p.call({
      method: 'PUT',
      url,
      token: tokenOf(caller),
      headers,
      payload: fakeJpeg(358, 441),
    });
  }
  return p.call({
    method: method as 'GET',
    url,
    token: tokenOf(caller),
    headers,
    ...(method === 'GET' ? {} : { payload: (payload ?? {}) as Record<string, unknown> }),
  });
}

beforeAll(async () => {
  p = await openRoutedPlatform();
  sh = await buildWorld(p.t, 'SH', '310000');
  hn = await buildWorld(p.t, 'HN', '460000');
  card = await issuedCard(p.t, sh, 'branchA');
  const app = await openApplication(p.t, sh, 'branchA');
  appId = app.appId;
  appHolder = app.idNumber;
}, 120_000);
afterAll(() => p.close());

describe('access by relationship, act by act', () => {
  // Callers without the holder in front of them first; then they find the holder, and the
  // "present" columns are tried.
  const phases: [string, Caller[]][] = [
    [
      'without the holder',
      ['centre', 'ownBranch', 'otherBank', 'community', 'otherCity', 'auditor'],
    ],
    [
      'with the holder in front of them',
      ['otherBankPresent', 'communityPresent', 'otherCityPresent'],
    ],
  ];
  for (const [phase, callers] of phases) {
    it(`every act, ${phase}`, async () => {
      if (callers.includes('otherBankPresent')) {
        for (const token of [sh.tokens.branchB, sh.tokens.community, hn.tokens.branchA]) {
          expect(await findHolder(p.t, token, card.idNumber)).toBeDefined();
          expect(await findHolder(p.t, token, appHolder)).toBeDefined();
        }
      }
      const wrong: string[] = [];
      for (const [key, expected] of Object.entries(EXPECTED)) {
        for (const caller of callers) {
          const res = await call(key, caller);
          const got = outcomeOf(res);
          if (got !== expected[caller])
            wrong.push(
              `${key} as ${caller}: expected ${expected[caller]}, got ${got} ${res.body.slice(0, 160)}`,
            );
        }
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  }

  it('a hidden target answers exactly like a missing one', async () => {
    const other = await issuedCard(p.t, sh, 'branchA');
    const mine = await p.call({
      method: 'GET',
      url: `/api/v1/cards/${other.cardNo}`,
      token: sh.tokens.branchB,
    });
    const missing = await p.call({
      method: 'GET',
      url: `/api/v1/cards/${formatCardNumber('310000', 89_999_997)}`,
      token: sh.tokens.branchB,
    });
    const strip = (r: LightMyRequestResponse) => {
      const { requestId: _r, ...rest } = r.json();
      return [r.statusCode, rest];
    };
    expect(mine.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(strip(mine)[1]).toEqual(strip(missing)[1]);
  });
});
