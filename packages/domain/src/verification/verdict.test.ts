/**
 * The online check's verdict (HN-32) in each of the five jurisdictions: every reason a card is
 * refused names an article of its own pack (or a documented default), and the functions a reason
 * stops are the pack's (SH-18: a loss stops the social function, not the bank account; SG-14: all).
 */
import { describe, expect, it } from 'vitest';
import { card, DAY, T0 } from '../rules/testing/lifecycle-fixtures.js';
import { loadPack } from '../rules/testing/test-support.js';
import type { CardState } from '../lifecycle/card.js';
import type { RulePack } from '../rules/schema.js';
import { cardVerdict, type VerdictReason } from './verdict.js';
import { requirePinCheckPlace, terminalPlace } from './terminals.js';

const PACKS = ['zs', 'sg', 'sh', 'hn', 'fz'].map((c) => loadPack(c));

/** Each reason, the card state that causes it, and the function it is asked about. */
const CASES: [VerdictReason, Partial<CardState>, 'social' | 'financial'][] = [
  ['lost', { loss: { kind: 'formal', since: T0 } }, 'social'],
  ['replaced', { status: 'replaced', endedAt: T0 }, 'social'],
  ['cancelled', { status: 'cancelled', endedAt: T0, issuedAt: null }, 'social'],
  ['destroyed', { status: 'destroyed' }, 'social'],
  ['expired', { expiresOn: '2026-05-01' }, 'social'],
  ['suspended', { suspendedAt: T0 }, 'social'],
  ['frozen', { frozenAt: T0 }, 'social'],
  ['social_not_enabled', { socialEnabledAt: null }, 'social'],
  ['financial_not_activated', { financialActivatedAt: null }, 'financial'],
  ['not_issued', { status: 'in_stock', issuedAt: null }, 'social'],
];

/** The article's prefix for this pack: its own, or a platform default where it is silent. */
const ownOrDefault = (pack: RulePack, rule: string | undefined) =>
  rule?.startsWith(`${pack.code}-`) || rule?.startsWith('DEFAULT');

describe.each(PACKS.map((p) => [p.code, p] as const))('%s', (_code, pack) => {
  const now = new Date(T0.getTime() + DAY);

  it('a working card is valid for every function', () => {
    for (const fn of ['social', 'financial', 'one_card'] as const)
      expect(cardVerdict({ card: card(), pack, now, fn, holderDeceased: false })).toMatchObject({
        valid: true,
        reasons: [],
      });
  });

  it.each(CASES)('%s: invalid, naming an article of the pack', (reason, state, fn) => {
    const stopsSocial =
      reason !== 'frozen' || (pack.effects.freeze.value as string[]).includes('social');
    const suspensionStops =
      reason !== 'suspended' || (pack.effects.suspension.value as string[]).includes('social');
    const verdict = cardVerdict({ card: card(state), pack, now, fn, holderDeceased: false });
    if (!stopsSocial || !suspensionStops) {
      // HN-42: a freeze stops the one-card functions; the social function is the pack's to say.
      expect(verdict.reasons.map((r) => r.code)).not.toContain(reason);
      return;
    }
    expect(verdict.valid).toBe(false);
    const item = verdict.reasons.find((r) => r.code === reason);
    expect(item, JSON.stringify(verdict)).toBeDefined();
    expect(ownOrDefault(pack, item!.citation?.rule), item!.citation?.rule).toBe(true);
  });

  it('a dead holder’s card is invalid; a chip SSN that is not the holder’s too', () => {
    const verdict = cardVerdict({
      card: card(),
      pack,
      now,
      fn: 'social',
      holderDeceased: true,
      ssnMatches: false,
    });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ssn_mismatch', 'holder_deceased']);
    expect(ownOrDefault(pack, verdict.reasons[1]!.citation?.rule)).toBe(true);
  });

  it('a loss stops the functions the pack says (SH-18 social only, SG-14 all)', () => {
    const lost = card({ loss: { kind: 'formal', since: T0 } });
    const financial = cardVerdict({
      card: lost,
      pack,
      now,
      fn: 'financial',
      holderDeceased: false,
    });
    expect(financial.valid).toBe(pack.loss.effect.value === 'social_function_stops');
  });

  it('a temporary card needs the holder’s ID where the pack says so (SG-19)', () => {
    const verdict = cardVerdict({
      card: card({ kind: 'temporary' }),
      pack,
      now,
      fn: 'social',
      holderDeceased: false,
    });
    expect(verdict.idRequired !== null).toBe(pack.temporaryCard.idRequiredWhenUsed.value);
    if (verdict.idRequired) expect(verdict.idRequired.rule).toBe('SG-19');
  });

  it('the social PIN is checked where the pack allows it (FZ-32: pharmacies only)', () => {
    const pharmacy = terminalPlace('service_point', 'pharmacy');
    const hospital = terminalPlace('service_point', 'hospital');
    const transit = terminalPlace('service_point', 'transit');
    expect(() => requirePinCheckPlace(pack, pharmacy)).not.toThrow();
    if (pack.pin.verifiedOnlyAt.value === null) {
      expect(() => requirePinCheckPlace(pack, hospital)).not.toThrow();
      expect(() => requirePinCheckPlace(pack, transit)).not.toThrow();
    } else {
      expect(() => requirePinCheckPlace(pack, hospital)).toThrow(/PIN_PLACE_NOT_ALLOWED/);
      expect(() => requirePinCheckPlace(pack, transit)).toThrow(/PIN_PLACE_NOT_ALLOWED/);
    }
  });
});
