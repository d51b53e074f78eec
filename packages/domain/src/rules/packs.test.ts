import { describe, expect, it } from 'vitest';
import { isPackFileName } from './parse.js';
import { policyParameters } from './walk.js';
import {
  articles,
  chineseNumber,
  citations,
  citedText,
  loadAllPacks,
  normalise,
  packFileNames,
  regulationText,
} from './testing/test-support.js';

const packs = loadAllPacks();

describe('the built-in packs', () => {
  it('all five load and validate', () => {
    expect(packFileNames().every(isPackFileName)).toBe(true);
    const builtIn = packs.filter((p) => ['FZ', 'HN', 'SG', 'SH', 'ZS'].includes(p.code));
    expect(builtIn.map((p) => [p.code, p.divisionCode, p.name.zh, p.regulation.file])).toEqual([
      ['FZ', '350100', '福州市', 'fuzhou-2021.txt'],
      ['HN', '460000', '海南省', 'hainan-2021.txt'],
      ['SG', '440200', '韶关市', 'shaoguan-2018.txt'],
      ['SH', '310000', '上海市', 'shanghai-2019-rev2025.txt'],
      ['ZS', '330900', '舟山市', 'zhoushan-2024.txt'],
    ]);
  });

  it('have the same parameters, so they compare row by row', () => {
    const paths = (i: number) =>
      policyParameters(packs[i]!)
        .map((p) => p.path)
        .filter((p) => p !== 'effectiveUntil');
    for (let i = 1; i < packs.length; i++) expect(paths(i)).toEqual(paths(0));
  });

  it('quote every cited article verbatim, inside that article', () => {
    let checked = 0;
    for (const pack of packs) {
      for (const { path, rule, quote } of citations(pack)) {
        expect(
          citedText(pack, rule).includes(normalise(quote)),
          `${pack.code} ${path}: ${rule}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(350);
  });

  it('flag every default and say why', () => {
    for (const pack of packs) {
      for (const { path, source } of policyParameters(pack)) {
        if (source.rule === 'DEFAULT') {
          expect(source.default, `${pack.code} ${path}`).toBe(true);
          expect(source.note, `${pack.code} ${path}`).toBeTruthy();
          expect(source.quote).toBeUndefined();
        } else {
          expect(source.quote, `${pack.code} ${path}`).toBeTruthy();
        }
      }
    }
  });
});

describe('reading the regulation texts', () => {
  it.each([
    ['zhoushan-2024.txt', 20],
    ['shaoguan-2018.txt', 29],
    ['shanghai-2019-rev2025.txt', 32],
    ['hainan-2021.txt', 47],
    ['fuzhou-2021.txt', 54],
  ])('%s has articles 1 to %i, each found once', (file, count) => {
    const found = [...articles(regulationText(file)).keys()].sort((a, b) => a - b);
    expect(found).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it('finds HN-40, which starts mid-line after HN-39 in the file', () => {
    const hn40 = articles(regulationText('hainan-2021.txt')).get(40);
    expect(hn40?.startsWith('第四十条 市县一卡通机构')).toBe(true);
  });

  it('reads Chinese article numbers', () => {
    expect([
      chineseNumber('十'),
      chineseNumber('十四'),
      chineseNumber('二十'),
      chineseNumber('五十四'),
    ]).toEqual([10, 14, 20, 54]);
  });

  it('normalises whitespace and punctuation width, nothing else', () => {
    const sh18 = citedText(
      packs.find((p) => p.code === 'SH')!,
      'SH-18',
    );
    expect(sh18.includes(normalise('临时挂失的有效期为5日'))).toBe(true);
    expect(sh18.includes(normalise('临时挂失的有效期为 15 日'))).toBe(false);
    expect(normalise('发放期间因死亡、出国(境)定居')).toBe(
      normalise('发放期间因死亡、出国（境）定居'),
    );
  });
});
