/** Terminal credentials: what a key and a fingerprint look like, and that nothing is kept in clear. */
import { describe, expect, it } from 'vitest';
import { apiKeyHash, certificateHash, newApiKey, normaliseFingerprint } from './credentials.js';

describe('terminal credentials', () => {
  it('an API key is 192 random bits, kept only as its hash', () => {
    const a = newApiKey();
    expect(a).toMatch(/^sst_[A-Za-z0-9_-]{32}$/);
    expect(newApiKey()).not.toBe(a);
    expect(apiKeyHash(a).toString('hex')).not.toContain(Buffer.from(a).toString('hex'));
    expect(apiKeyHash(a)).toEqual(apiKeyHash(a));
  });

  it('a fingerprint with or without colons, any case, is the same certificate', () => {
    const hex = 'AB'.repeat(32);
    const colons = Array.from({ length: 32 }, () => 'ab').join(':');
    expect(normaliseFingerprint(hex)).toBe('ab'.repeat(32));
    expect(normaliseFingerprint(colons)).toBe('ab'.repeat(32));
    expect(certificateHash(normaliseFingerprint(hex)!)).toEqual(
      certificateHash(normaliseFingerprint(colons)!),
    );
  });

  it('a near-miss is refused at once (no backtracking on long input)', () => {
    for (const bad of ['ab'.repeat(31), 'ab:'.repeat(40) + '!', 'a'.repeat(94) + 'z', 'ab::cd'])
      expect(normaliseFingerprint(bad)).toBeNull();
  });
});
