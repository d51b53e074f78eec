import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePacks } from './compare.js';
import { formatValue, renderPolicyDiff } from './render.js';
import { displayWidth, wrap } from './text-width.js';
import { loadPack } from './testing/test-support.js';

const sh = loadPack('SH');
const hn = loadPack('HN');

describe('comparePacks', () => {
  const all = comparePacks(['FZ', 'HN', 'SG', 'SH', 'ZS'].map(loadPack));

  it('has one row per parameter and one cell per jurisdiction; only SG has an end date', () => {
    expect(all.columns.map((c) => c.code)).toEqual(['FZ', 'HN', 'SG', 'SH', 'ZS']);
    for (const row of all.rows) {
      expect(Object.keys(row.cells).sort()).toEqual(['FZ', 'HN', 'SG', 'SH', 'ZS']);
      const missing = Object.entries(row.cells).filter(([, cell]) => cell === null);
      if (row.path === 'effectiveUntil')
        expect(missing.map(([c]) => c)).toEqual(['FZ', 'HN', 'SH', 'ZS']);
      else expect(missing).toEqual([]);
    }
  });

  it('carries value and source in each cell', () => {
    const row = all.rows.find((r) => r.path === 'loss.temporary.termDays');
    expect(row?.differs).toBe(true);
    expect(row?.cells['SH']).toMatchObject({ value: 5, rule: 'SH-18', default: false });
    expect(row?.cells['HN']).toMatchObject({ value: 15, rule: 'HN-17', default: false });
    expect(row?.cells['ZS']).toMatchObject({ value: null, rule: 'DEFAULT', default: true });
  });

  it('marks rows that agree', () => {
    expect(all.rows.find((r) => r.path === 'fees.first')?.differs).toBe(false);
    expect(all.rows.find((r) => r.path === 'loss.unreport.cutoff')?.differs).toBe(false);
  });

  it('ignores the order of word lists', () => {
    const flipped = structuredClone(hn);
    flipped.code = 'XX';
    flipped.application.proxies.value = [...hn.application.proxies.value].reverse();
    const row = comparePacks([hn, flipped]).rows.find((r) => r.path === 'application.proxies');
    expect(row?.differs).toBe(false);
  });
});

describe('renderPolicyDiff: sscard policy diff SH HN', () => {
  const text = renderPolicyDiff(comparePacks([sh, hn]));
  const lines = text.split('\n');
  const table = lines.slice(0, lines.indexOf(''));

  it('starts with a header and a rule', () => {
    expect(table[0]).toMatch(/^parameter +\| SH 上海市 2025\.1 +\| HN 海南省 2022\.1$/);
    expect(table[1]).toMatch(/^-+-\+-+-\+-+$/);
  });

  it('shows only differing rows, with their sources', () => {
    expect(text).toMatch(/^loss\.temporary\.termDays +\| 5 \[SH-18\] +\| 15 \[HN-17\]$/m);
    expect(text).toMatch(/^card\.validityYears +\| — \[default\] +\| 10 \[HN-6\]$/m);
    expect(text).toMatch(/^pin\.socialEnabled +\| yes \[default\] +\| no \[HN-14\]$/m);
    expect(text).toMatch(
      /^replacement\.oldCardInvalid +\| on_issue_of_new_card \[SH-23\] +\| on_acceptance \[HN-20\]$/m,
    );
    expect(text).not.toMatch(/^fees\.first /m);
    expect(lines[lines.length - 1]).toMatch(/^\d+ of 147 parameters differ$/);
  });

  it('lines up columns by terminal width, Chinese included', () => {
    const columnsOf = (line: string) => {
      const stops: number[] = [];
      let at = 0;
      for (const char of line) {
        if (char === '|' || char === '+') stops.push(at);
        at += displayWidth(char);
      }
      return stops;
    };
    const header = columnsOf(table[0] ?? '');
    expect(header).toHaveLength(2);
    for (const line of table.slice(1)) {
      expect(columnsOf(line)).toEqual(header);
    }
  });

  it('wraps long cells and never starts a line with a space', () => {
    const cells = table.slice(2).flatMap((l) => l.split(/ \|(?: |$)/).slice(1));
    for (const cell of cells.filter((c) => c.trim() !== '')) {
      expect(cell.startsWith(' ')).toBe(false);
      expect(displayWidth(cell.trimEnd())).toBeLessThanOrEqual(36);
    }
  });

  it('can show all rows, without sources, in English', () => {
    const full = renderPolicyDiff(comparePacks([sh, hn]), {
      all: true,
      sources: false,
      locale: 'en',
    });
    expect(full.split('\n')[0]).toMatch(/SH Shanghai 2025\.1 +\| HN Hainan 2022\.1$/);
    expect(full).toMatch(/^fees\.first +\| free +\| free$/m);
    expect(full).not.toContain('[SH-');
  });
});

describe('text helpers', () => {
  it('formats values for people', () => {
    expect(formatValue({ amount: 30, unit: 'working_days', from: 'acceptance' })).toBe(
      '30 working days from acceptance',
    );
    expect(formatValue({ fen: 2000 })).toBe('20.00 yuan');
    expect(formatValue([])).toBe('(none)');
    expect(formatValue(null)).toBe('—');
  });

  it('measures CJK as two columns', () => {
    expect(displayWidth('上海市')).toBe(6);
    expect(displayWidth('SH-18')).toBe(5);
    expect(displayWidth('（二）')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('wraps any text within the width without losing characters', () => {
    const text = fc
      .array(fc.constantFrom('上', '海', 'a', 'b', ' ', ',', '，', '、', '7'), { maxLength: 80 })
      .map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 30 }), (s, width) => {
        const lines = wrap(s, width);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
      }),
    );
  });
});
