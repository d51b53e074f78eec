/**
 * Retries and races. An Idempotency-Key makes a retried act return its first answer and change
 * nothing twice; racing counters end in one consistent state; two first applications for one
 * person yield one application. On PostgreSQL these run truly in parallel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { findHolder } from '../../testing/cards.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'SH', '310000');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}, key?: string) =>
  t.api({
    method: 'POST',
    url,
    token,
    payload: payload as Record<string, unknown>,
    headers: key ? { 'idempotency-key': key } : {},
  });

async function liveCard(): Promise<{ personId: string; idNumber: string; cardNo: string }> {
  const person = await registerPerson(t, w.tokens.branchA);
  const repl = await post('/api/v1/applications', w.tokens.branchA, {
    personId: person.id,
    kind: 'first',
  });
  let a = repl.json();
  for (const agency of ['police', 'hrss', 'medical'])
    a = (
      await post(`/api/v1/applications/${a.id}/checks`, w.tokens.centre, { agency, result: 'pass' })
    ).json();
  await post(`/api/v1/applications/${a.id}/stock`, w.tokens.branchA);
  await post(`/api/v1/cards/${a.cardNo}/issue`, w.tokens.branchA, { to: 'holder' });
  await post(`/api/v1/cards/${a.cardNo}/activate`, w.tokens.branchA, { function: 'social' });
  return { personId: person.id, idNumber: person.idNumber, cardNo: a.cardNo };
}

async function auditCount(targetId: string, action: string): Promise<number> {
  const rows = await t.platform.deps.db
    .selectFrom('audit_log')
    .select('id')
    .where('target_id', '=', targetId)
    .where('action', '=', action)
    .execute();
  return rows.length;
}

describe('Idempotency-Key', () => {
  it('a retried application returns the first answer and creates one application', async () => {
    const person = await registerPerson(t, w.tokens.branchA);
    const first = await post(
      '/api/v1/applications',
      w.tokens.branchA,
      { personId: person.id, kind: 'first' },
      'retry-apply-0001',
    );
    const again = await post(
      '/api/v1/applications',
      w.tokens.branchA,
      { personId: person.id, kind: 'first' },
      'retry-apply-0001',
    );
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const rows = await t.platform.deps.db
      .selectFrom('applications')
      .select('id')
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('a retried loss report changes nothing twice and is audited once', async () => {
    const { cardNo } = await liveCard();
    const a = await post(
      `/api/v1/cards/${cardNo}/loss`,
      w.tokens.centre,
      { kind: 'temporary', via: 'phone' },
      'retry-loss-0001',
    );
    const b = await post(
      `/api/v1/cards/${cardNo}/loss`,
      w.tokens.centre,
      { kind: 'temporary', via: 'phone' },
      'retry-loss-0001',
    );
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect(await auditCount(cardNo, 'card.loss')).toBe(1);
  });

  it('the same key for a different request is refused', async () => {
    const { cardNo } = await liveCard();
    await post(
      `/api/v1/cards/${cardNo}/loss`,
      w.tokens.centre,
      { kind: 'temporary', via: 'phone' },
      'retry-mixed-0001',
    );
    const other = await post(
      `/api/v1/cards/${cardNo}/loss`,
      w.tokens.centre,
      { kind: 'formal', via: 'online' },
      'retry-mixed-0001',
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent retries of one act run it once', async () => {
    const { cardNo } = await liveCard();
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        post(
          `/api/v1/cards/${cardNo}/loss`,
          w.tokens.centre,
          { kind: 'formal', via: 'online' },
          'race-retry-0001',
        ),
      ),
    );
    // The retries that collided with the first request wait for its answer and replay it.
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
    expect(await auditCount(cardNo, 'card.loss')).toBe(1);
  });
});

describe('races between counters', () => {
  it('loss and un-report of one card at once end in one consistent state', async () => {
    for (let round = 0; round < 5; round++) {
      const { cardNo, idNumber } = await liveCard();
      // The holder at the community outlet (SH-18: formal loss and un-report there).
      await findHolder(t, w.tokens.community, idNumber);
      await post(`/api/v1/cards/${cardNo}/loss`, w.tokens.centre, {
        kind: 'temporary',
        via: 'phone',
      });
      const [unreport, formal] = await Promise.all([
        post(`/api/v1/cards/${cardNo}/unreport`, w.tokens.community, {}),
        post(`/api/v1/cards/${cardNo}/loss`, w.tokens.community, { kind: 'formal' }),
      ]);
      const card = (
        await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token: w.tokens.centre })
      ).json();
      // Whichever came second saw the first one's result; the card's state matches the audit trail.
      const successes = [unreport, formal].filter((r) => r.statusCode === 200).length;
      expect(successes).toBeGreaterThanOrEqual(1);
      const last = await t.platform.deps.db
        .selectFrom('audit_log')
        .select(['action'])
        .where('target_id', '=', cardNo)
        .where('outcome', '=', 'success')
        .orderBy('at', 'desc')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      if (last.action === 'card.unreport') expect(card.loss.kind).toBe('none');
      else expect(card.loss.kind).toBe('formal');
    }
  });

  it('two first applications for one person at two counters yield one application', async () => {
    const person = await registerPerson(t, w.tokens.centre);
    // The holder is in front of both counters (each found them by their number).
    await findHolder(t, w.tokens.branchA, person.idNumber);
    await findHolder(t, w.tokens.branchB, person.idNumber);
    const [a, b] = await Promise.all([
      post('/api/v1/applications', w.tokens.branchA, { personId: person.id, kind: 'first' }),
      post('/api/v1/applications', w.tokens.branchB, { personId: person.id, kind: 'first' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('APPLICATION_EXISTS');
    const rows = await t.platform.deps.db
      .selectFrom('applications')
      .select('id')
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
  });
});
