import { describe, expect, it } from 'vitest';
import { isStorableText, unstorableText } from './text-guard.js';

describe('text PostgreSQL cannot store', () => {
  it('refuses NUL and unpaired surrogates, keeps paired ones', () => {
    expect(isStorableText('张三 😀')).toBe(true);
    expect(isStorableText('ab\u0000')).toBe(false);
    expect(isStorableText('a\udfff')).toBe(false);
    expect(isStorableText('\ud83d')).toBe(false);
  });

  it('names each bad field by JSON pointer, keys included', () => {
    const found = unstorableText({ name: 'ok', notes: ['x', 'y\u0000'], 'a/b': { c: '\ud800' } });
    expect(found.sort()).toEqual(['/a~1b/c', '/notes/1']);
    expect(unstorableText({ 'k\u0000': 1 })).toEqual(['/k\ufffd']);
  });

  it('walks a body nested twenty thousand deep without overflowing the stack', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(unstorableText(deep)).toHaveLength(1);
  });
});
