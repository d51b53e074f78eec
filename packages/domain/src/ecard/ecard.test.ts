/**
 * The e-card's pure rules (HN-13, HN-14) and the QR token's layout: issued only for a live card,
 * unusable whenever the card is, the payment PIN's format, count and lock; the claims round-trip
 * through their 43 bytes for any values in range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { card, DAY, T0 } from '../rules/testing/lifecycle-fixtures.js';
import { loadPack } from '../rules/testing/test-support.js';
import {
  ECARD_PIN_MAX_FAILURES,
  afterEcardPinAttempt,
  beforeEcardPinAttempt,
  decideEcardIssue,
  ecardStatus,
  requireEcardPinFormat,
} from './ecard.js';
import { QR_CLAIMS_BYTES, decodeQrClaims, encodeQrClaims } from './qr-token.js';

const hn = loadPack('hn');
const now = new Date(T0.getTime() + DAY);
const facts = (c = card()) => ({ card: c, pack: hn, now, holderDeceased: false });

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('HN-13', () => {
  it('an e-card for a live card only, once', () => {
    expect(() => decideEcardIssue(facts(), false)).not.toThrow();
    expect(refusal(() => decideEcardIssue(facts(), true)).code).toBe('ECARD_EXISTS');
    for (const c of [
      card({ loss: { kind: 'formal', since: T0 } }),
      card({ frozenAt: T0 }),
      card({ status: 'cancelled', endedAt: T0, issuedAt: null }),
      card({ status: 'in_stock', issuedAt: null }),
    ]) {
      const e = refusal(() => decideEcardIssue(facts(c), false));
      expect(e.code).toBe('ECARD_NEEDS_LIVE_CARD');
      expect(e.citation?.rule).toBe('HN-13');
    }
  });

  it('the status is the card’s, now', () => {
    expect(ecardStatus(facts())).toEqual({ status: 'active', reasons: [] });
    expect(ecardStatus(facts(card({ loss: { kind: 'formal', since: T0 } })))).toEqual({
      status: 'unusable',
      reasons: ['lost'],
    });
    expect(ecardStatus({ ...facts(), holderDeceased: true }).status).toBe('unusable');
  });
});

describe('HN-14', () => {
  it('six digits, not all one, not a run', () => {
    for (const bad of ['12345', '1234567', 'abcdef', '111111', '123456', '654321'])
      expect(refusal(() => requireEcardPinFormat(bad, hn)).citation?.rule).toBe('HN-14');
    expect(() => requireEcardPinFormat('270415', hn)).not.toThrow();
  });

  it('counts wrong PINs, locks at the fifth, a lock lapses after a day', () => {
    let state = { pinSet: true, pinFailures: 0, pinLockedAt: null as Date | null };
    for (let i = 1; i < ECARD_PIN_MAX_FAILURES; i++) {
      const a = afterEcardPinAttempt(state, hn, false, now);
      expect(a.refusal?.code).toBe('ECARD_PIN_WRONG');
      state = { ...state, ...a.change };
    }
    const locked = afterEcardPinAttempt(state, hn, false, now);
    expect(locked.refusal?.code).toBe('ECARD_PIN_LOCKED');
    state = { ...state, ...locked.change };
    expect(refusal(() => beforeEcardPinAttempt(state, hn, now)).code).toBe('ECARD_PIN_LOCKED');
    const later = new Date(now.getTime() + DAY + 1);
    expect(() => beforeEcardPinAttempt(state, hn, later)).not.toThrow();
    expect(afterEcardPinAttempt(state, hn, true, later).change).toEqual({
      pinFailures: 0,
      pinLockedAt: null,
    });
  });
});

describe('the QR token layout', () => {
  it('claims round-trip through 43 bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16).padStart(8, '0')),
        fc.uuid(),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        (kid, ecardId, iat, ttlSeconds, cardVersion, jti) => {
          const claims = {
            kid,
            ecardId,
            issuedAt: new Date(iat * 1000),
            ttlSeconds,
            cardVersion,
            jti,
          };
          const bytes = encodeQrClaims(claims);
          expect(bytes.length).toBe(QR_CLAIMS_BYTES);
          expect(decodeQrClaims(bytes)).toEqual(claims);
        },
      ),
    );
  });

  it('another version or a zero lifetime is not ours', () => {
    const bytes = encodeQrClaims({
      kid: '0a1b2c3d',
      ecardId: '00000000-0000-4000-8000-000000000000',
      issuedAt: new Date(1_800_000_000_000),
      ttlSeconds: 60,
      cardVersion: 3,
      jti: new Uint8Array(12),
    });
    expect(decodeQrClaims(bytes.subarray(0, 42))).toBeNull();
    expect(decodeQrClaims(Uint8Array.from([2, ...bytes.subarray(1)]))).toBeNull();
    const zero = Uint8Array.from(bytes);
    zero[25] = 0;
    zero[26] = 0;
    expect(decodeQrClaims(zero)).toBeNull();
  });
});
