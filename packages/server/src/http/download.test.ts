import { describe, expect, it } from 'vitest';
import { contentDisposition } from './download.js';

describe('contentDisposition', () => {
  it('names an ASCII file plainly, both ways', () => {
    expect(contentDisposition('daily-ledger-2026-11-30.xlsx')).toBe(
      `attachment; filename="daily-ledger-2026-11-30.xlsx"; filename*=UTF-8''daily-ledger-2026-11-30.xlsx`,
    );
  });

  it('keeps a Chinese name in filename* and an ASCII stand-in in filename', () => {
    expect(contentDisposition('花名册-结果.csv')).toBe(
      `attachment; filename="___-__.csv"; filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C-%E7%BB%93%E6%9E%9C.csv`,
    );
  });

  it('cannot be broken out of by a name from an upload (quotes, line breaks, delimiters)', () => {
    const h = contentDisposition('a"; filename=evil.exe\r\nX-Injected: 1\'(x)*.csv');
    expect(h).not.toMatch(/[\r\n]/);
    expect(h.match(/"/g)).toHaveLength(2);
    expect(h).toContain(
      `filename*=UTF-8''a%22%3B%20filename%3Devil.exe%0D%0AX-Injected%3A%201%27%28x%29%2A.csv`,
    );
  });
});
