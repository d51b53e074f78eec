/**
 * Each self-service act online, per jurisdiction: done where the pack's places (`places.<act>`)
 * include `online`, refused with PLACE_NOT_ALLOWED and the pack's article where they do not
 * (SH-18/SH-19 offer loss reports online, ZS-12 the online platform, HN-9's 网上服务平台, …).
 * The holder's acts are recorded at the place `online` whatever the request says.
 */
import type { PlaceAct } from '@sscard/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedCard } from '../../testing/cards.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { holderToken } from '../../testing/holders.js';
import { registerPerson } from '../../testing/people.js';

const JURISDICTIONS = [
  ['ZS', '330900'],
  ['SG', '440200'],
  ['SH', '310000'],
  ['HN', '460000'],
  ['FZ', '350100'],
] as const;

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
}, 60_000);
afterAll(() => t.close());

/** FZ-16: the counter makes the card at once (立等可取) unless the applicant agrees to wait. */
const production = (code: string) => (code === '350100' ? { production: 'instant' as const } : {});

function online(code: string, act: PlaceAct): boolean {
  const { pack } = t.platform.deps.rules.resolve(code, t.platform.deps.clock.now());
  return (pack.places[act].value ?? []).includes('online');
}

function expectOutcome(
  res: { statusCode: number; json: () => { code?: string; rule?: unknown } },
  allowed: boolean,
  what: string,
) {
  if (allowed) expect(res.statusCode, `${what}: ${JSON.stringify(res.json())}`).toBeLessThan(300);
  else {
    // Refused where the pack's places leave out `online`, or where the pack has no such act.
    expect(['PLACE_NOT_ALLOWED', 'LOSS_NOT_ALLOWED'], what).toContain(res.json().code);
    expect(JSON.stringify(res.json().rule), `${what} cites its article`).toMatch(/[A-Z]{2}-\d+/);
  }
}

describe.each(JURISDICTIONS)('%s: self-service acts online', (short, code) => {
  let w: World;
  beforeAll(async () => {
    // The administrator logs in once per world with a fresh second-factor code.
    await t.setClock(new Date(t.platform.deps.clock.now().getTime() + 31_000));
    w = await buildWorld(t, short, code);
  }, 120_000);

  it('reports a temporary loss online where the pack allows it, and un-reports it', async () => {
    const card = await issuedCard(t, w, 'branchA', production(code));
    const token = await holderToken(t, card.personId);
    const loss = await t.api({
      method: 'POST',
      url: `/api/v1/cards/${card.cardNo}/loss`,
      token,
      payload: { kind: 'temporary', via: 'counter' },
    });
    const lossOnline = online(code, 'temporaryLoss');
    expectOutcome(loss, lossOnline, 'temporary loss');
    if (!lossOnline) {
      // Taken by staff instead (by phone where only the phone line takes it, SH-18), so the
      // un-report can be tried online.
      const byStaff = (kind: string, via?: string) =>
        t.api({
          method: 'POST',
          url: `/api/v1/cards/${card.cardNo}/loss`,
          token: w.tokens.branchA,
          payload: { kind, ...(via ? { via } : {}) },
        });
      let atCounter = await byStaff('temporary', 'phone');
      // FZ-33 knows one kind of loss (挂失), recorded as formal.
      if (atCounter.json().code === 'LOSS_NOT_ALLOWED') atCounter = await byStaff('formal');
      expect(atCounter.statusCode, atCounter.body).toBe(200);
    } else {
      const audit = await t.platform.deps.db
        .selectFrom('audit_log')
        .select(['details', 'actor_role'])
        .where('action', '=', 'card.loss')
        .where('target_id', '=', card.cardNo)
        .executeTakeFirstOrThrow();
      expect(audit.actor_role).toBe('holder');
      expect(audit.details).toMatchObject({ place: 'online' });
    }
    const unreport = await t.api({
      method: 'POST',
      url: `/api/v1/cards/${card.cardNo}/unreport`,
      token,
      payload: { cardPresented: true },
    });
    if (online(code, 'unreport') && unreport.statusCode >= 300)
      // Online is a place for it, but another rule of the pack may still ask for the card (ZS-13).
      expect(unreport.json().code).not.toBe('PLACE_NOT_ALLOWED');
    else expectOutcome(unreport, online(code, 'unreport'), 'un-report');
  });

  it('reports a formal loss online where the pack allows it', async () => {
    const card = await issuedCard(t, w, 'branchA', production(code));
    const token = await holderToken(t, card.personId);
    const loss = await t.api({
      method: 'POST',
      url: `/api/v1/cards/${card.cardNo}/loss`,
      token,
      payload: { kind: 'formal' },
    });
    if (online(code, 'formalLoss') && loss.statusCode >= 300)
      expect(loss.json().code).not.toBe('PLACE_NOT_ALLOWED');
    else expectOutcome(loss, online(code, 'formalLoss'), 'formal loss');
  });

  it('changes contact data online where the pack allows it', async () => {
    const person = await registerPerson(t, w.tokens.branchA, {
      county: code === '310000' ? '310101' : code,
    });
    const token = await holderToken(t, person.id);
    const res = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${person.id}`,
      token,
      payload: { postcode: '200003' },
    });
    expectOutcome(res, online(code, 'nonKeyInfoChange'), 'contact data');
  });

  it('applies online for a first card where the pack allows it', async () => {
    const person = await registerPerson(t, w.tokens.branchA, {
      county: code === '310000' ? '310101' : code,
    });
    const token = await holderToken(t, person.id);
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/applications',
      token,
      payload: { personId: person.id, kind: 'first', branchId: w.branchA, channel: 'counter' },
    });
    if (online(code, 'first') && res.statusCode >= 300)
      expect(res.json().code).not.toBe('PLACE_NOT_ALLOWED');
    else expectOutcome(res, online(code, 'first'), 'first application');
    if (res.statusCode < 300) expect(res.json().channel).toBe('online');
  });
});
