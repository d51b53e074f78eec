import { describe, expect, it } from 'vitest';
import { uuidv7 } from './tokens.js';

describe('uuidv7', () => {
  it('is a version 7 UUID whose first 48 bits are the time', () => {
    const now = Date.UTC(2026, 11, 1, 8, 0, 0);
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('never repeats its random part, across many refills of its pool', () => {
    const tails = new Set<string>();
    for (let i = 0; i < 5000; i++) tails.add(uuidv7(0).slice(14));
    expect(tails.size).toBe(5000);
  });
});
