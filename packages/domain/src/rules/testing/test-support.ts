/* eslint-disable no-restricted-imports -- test support only: reads the pack files and the
   regulation texts beside them. Nothing in the domain's public API imports this file. */
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { isParam, type Source } from '../param.js';
import { parsePack } from '../parse.js';
import type { RulePack } from '../schema.js';

export const PACKS_DIR = new URL('../../../packs/', import.meta.url);
const REGULATIONS_DIR = new URL('regulations/', PACKS_DIR);

export function packFileNames(): string[] {
  return readdirSync(PACKS_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .sort();
}

export function packText(name: string): string {
  return readFileSync(new URL(name, PACKS_DIR), 'utf8');
}

export function loadPack(code: string): RulePack {
  const name = `${code.toLowerCase()}.yaml`;
  return parsePack(packText(name), name);
}

export function loadAllPacks(): RulePack[] {
  return packFileNames().map((name) => parsePack(packText(name), name));
}

export function regulationText(file: string): string {
  return readFileSync(new URL(file, REGULATIONS_DIR), 'utf8');
}

/**
 * Compare text as a reader would: the files break lines and put stray spaces inside sentences,
 * and mix ASCII and full-width punctuation, so whitespace goes and punctuation is made full-width.
 */
export function normalise(text: string): string {
  const fullWidth: Record<string, string> = {
    ',': '，',
    '(': '（',
    ')': '）',
    ':': '：',
    ';': '；',
  };
  return text
    .replace(/[\s\u3000]+/gu, '')
    .replace(/[,():;]/g, (c) => fullWidth[c] ?? c)
    .replace(/[“”"]/g, '"');
}

const DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

export function chineseNumber(text: string): number {
  let total = 0;
  let digit = 0;
  for (const char of text) {
    if (char === '十' || char === '百') {
      total += (digit || 1) * (char === '十' ? 10 : 100);
      digit = 0;
    } else {
      digit = DIGITS[char] ?? 0;
    }
  }
  return total + digit;
}

/**
 * Article headings: `第十条 `, `### 第一条 (立法目的)`, `- 第二十三条 `, and one that starts
 * after a full stop on the previous article's line (HN-40). References like `第二十一条第(一)款`
 * are not headings: a heading is followed by a space or a bracket.
 */
const HEADING =
  /(?:^[\s>#*-]*|(?<=。\s*))(?:\*\*)?第([一二三四五六七八九十百零]+)条(?=[\s（(*])/gmu;

export function articles(text: string): Map<number, string> {
  const hits = [...text.matchAll(HEADING)];
  const out = new Map<number, string>();
  hits.forEach((hit, i) => {
    const n = chineseNumber(hit[1] ?? '');
    const end = hits[i + 1]?.index ?? text.length;
    if (!out.has(n)) out.set(n, text.slice(hit.index, end));
  });
  return out;
}

/** The normalised text a rule names: an article, the whole document (`-doc`) or an annex. */
export function citedText(pack: RulePack, rule: string): string {
  const file = pack.regulation.file;
  if (!file) throw new Error(`${pack.code} names no regulation file`);
  const text = regulationText(file);
  const part = rule.slice(pack.code.length + 1);
  if (part === 'doc') return normalise(text);
  if (part.startsWith('annex')) {
    const start = text.search(new RegExp(`附件\\s*${part.slice(5)}`));
    return normalise(text.slice(Math.max(0, start)));
  }
  const article = articles(text).get(Number(part));
  if (!article) throw new Error(`${rule}: no such article in ${file}`);
  return normalise(article);
}

/** Every (rule, quote) the pack cites, with the parameter path. */
export function citations(pack: RulePack): { path: string; rule: string; quote: string }[] {
  const out: { path: string; rule: string; quote: string }[] = [];
  const visit = (node: unknown, path: string) => {
    if (isParam(node)) {
      const source: Source = node.source;
      for (const c of [source, ...(source.see ?? [])]) {
        if (c.rule !== 'DEFAULT' && c.quote) out.push({ path, rule: c.rule, quote: c.quote });
      }
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const [k, v] of Object.entries(node)) visit(v, path ? `${path}.${k}` : k);
  };
  visit(pack, '');
  return out;
}

/** The value at `path`, after checking that the parameter cites `rule` (directly or in `see`). */
export function at(pack: RulePack, path: string, rule: string): unknown {
  let node: unknown = pack;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  expect(isParam(node), `${path} is a parameter`).toBe(true);
  const { value, source } = node as { value: unknown; source: Source };
  const rules = [source.rule, ...(source.see ?? []).map((s) => s.rule)];
  expect(rules, `${path} cites ${rule}`).toContain(rule);
  return value;
}

/** The source of the parameter at `path`. */
export function sourceAt(pack: RulePack, path: string): Source {
  let node: unknown = pack;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  expect(isParam(node), `${path} is a parameter`).toBe(true);
  return (node as { source: Source }).source;
}
