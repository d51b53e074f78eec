/**
 * The daily card sweep (job `cards.sweep`) on a real database: ZS-17 cancels a card left in stock
 * six months after production and closes its application, leaves alone a card handed over
 * meanwhile, and does nothing twice; ZS-15 cancels the card of a holder who died a year ago;
 * Shanghai, which sets neither, keeps its cards. Each act is audited in the job's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../context.js';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';

let t: TestPlatform;
let zs: World;
let sh: World;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestPlatform();
  zs = await buildWorld(t, 'ZS', '330900');
  sh = await buildWorld(t, 'SH', '310000');
});
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });

/** A first card, through its checks, in stock at branch A. */
async function stocked(w: World, county: string) {
  const person = await registerPerson(t, w.tokens.branchA, { county });
  let a = (
    await post('/api/v1/applications', w.tokens.branchA, { personId: person.id, kind: 'first' })
  ).json();
  for (const c of a.checks.filter((x: { result: string }) => x.result === 'pending'))
    a = (
      await post(`/api/v1/applications/${a.id}/checks`, w.tokens.centre, {
        agency: c.agency,
        result: 'pass',
      })
    ).json();
  const res = await post(`/api/v1/applications/${a.id}/stock`, w.tokens.branchA);
  expect(res.statusCode, res.body).toBe(200);
  return {
    personId: person.id as string,
    cardNo: a.cardNo as string,
    applicationId: a.id as string,
  };
}

const sweep = async () => {
  const run = await t.platform.services.jobs.run('cards.sweep', systemContext('test'));
  expect(run.status, String(run.error)).toBe('succeeded');
  return run.result as Record<string, number>;
};
const card = (cardNo: string) => t.platform.services.cards.repo.find(cardNo);

describe('the daily card sweep', () => {
  it('ZS-17: cancels a card in stock six months after production, once, and no other', async () => {
    await t.setClock(TEST_START);
    const left = await stocked(zs, '330902');
    const collected = await stocked(zs, '330902');
    const shanghai = await stocked(sh, '310104');
    expect(
      (await post(`/api/v1/cards/${collected.cardNo}/issue`, zs.tokens.branchA, { to: 'holder' }))
        .statusCode,
    ).toBe(200);

    // Six months to the day: the limit runs to the end of that day.
    await t.setClock(new Date('2026-11-06T15:00:00Z'));
    expect((await sweep()).unclaimed).toBe(0);
    expect((await card(left.cardNo))!.status).toBe('in_stock');

    await t.setClock(new Date('2026-11-06T16:00:00Z'));
    const report = await sweep();
    expect(report).toMatchObject({ unclaimed: 1, unclaimedEnded: 1 });
    const row = (await card(left.cardNo))!;
    expect(row).toMatchObject({
      status: 'cancelled',
      end_reason: 'unclaimed',
      unclaimed_action: 'cancel',
    });
    expect((await card(collected.cardNo))!.status).toBe('issued');
    expect((await card(shanghai.cardNo))!).toMatchObject({
      status: 'in_stock',
      unclaimed_at: null,
    });
    const app = await t.platform.deps.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', left.applicationId)
      .executeTakeFirstOrThrow();
    expect(app.status).toBe('withdrawn');

    const audited = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['actor_username', 'details'])
      .where('action', '=', 'card.unclaimed')
      .where('target_id', '=', left.cardNo)
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor_username).toBe('system:job:cards.sweep');
    expect(JSON.stringify(audited[0]!.details)).toContain('ZS-17');

    // The next day's sweep finds nothing more to do.
    await t.setClock(new Date('2026-11-08T01:00:00Z'));
    expect((await sweep()).unclaimed).toBe(0);
  });

  it('ZS-15: cancels the card of a holder who died, a year after the death', async () => {
    await t.setClock(TEST_START);
    const { personId, cardNo } = await stocked(zs, '330903');
    expect(
      (await post(`/api/v1/cards/${cardNo}/issue`, zs.tokens.branchA, { to: 'holder' })).statusCode,
    ).toBe(200);
    const death = await post(`/api/v1/persons/${personId}/death`, zs.tokens.branchA, {
      diedOn: '2026-05-06',
      evidence: '死亡医学证明 No. 3309001',
    });
    expect(death.statusCode, death.body).toBe(200);

    await t.setClock(new Date(TEST_START.getTime() + 365 * DAY));
    expect((await sweep()).cancelled).toBe(0);
    await t.setClock(new Date(TEST_START.getTime() + 366 * DAY));
    expect((await sweep()).cancelled).toBe(1);
    const row = (await card(cardNo))!;
    expect(row).toMatchObject({ status: 'cancelled', end_reason: 'death' });
    expect(JSON.stringify(row.cancel_evidence)).toContain('ZS-15');

    const token = await t.login('zs.centre', 'Staff-Test-2026!');
    const shown = await t.api({ method: 'GET', url: `/api/v1/cards/${cardNo}`, token });
    expect(shown.json()).toMatchObject({
      status: 'cancelled',
      endReason: 'death',
      unclaimed: null,
    });
  });
});
