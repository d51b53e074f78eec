/**
 * Side-by-side view of several packs: one row per parameter path, one cell per jurisdiction,
 * each cell carrying its value and where it comes from. Used by the compare table and by
 * `sscard policy diff`.
 */
import type { Source } from './param.js';
import type { RulePack } from './schema.js';
import { policyParameters } from './walk.js';

export interface ComparisonCell {
  value: unknown;
  /** `SH-18`, or `DEFAULT`. */
  rule: string;
  default: boolean;
  quote?: string;
  note?: string;
}

export interface ComparisonColumn {
  code: string;
  divisionCode: string;
  name: { zh: string; en: string };
  version: string;
}

export interface ComparisonRow {
  path: string;
  /** Keyed by short code; null where a pack has no such parameter. */
  cells: Record<string, ComparisonCell | null>;
  /** True when the values differ (sources are not compared). */
  differs: boolean;
}

export interface Comparison {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
}

export function comparePacks(packs: readonly RulePack[]): Comparison {
  const columns = packs.map((p) => ({
    code: p.code,
    divisionCode: p.divisionCode,
    name: p.name,
    version: p.version,
  }));
  const byPath = new Map<string, Record<string, ComparisonCell | null>>();
  for (const pack of packs) {
    for (const { path, value, source } of policyParameters(pack)) {
      const cells = byPath.get(path) ?? {};
      cells[pack.code] = cellOf(value, source);
      byPath.set(path, cells);
    }
  }
  const rows: ComparisonRow[] = [];
  for (const [path, cells] of byPath) {
    for (const { code } of columns) cells[code] ??= null;
    const keys = columns.map(({ code }) => canonical(cells[code]?.value));
    rows.push({ path, cells, differs: new Set(keys).size > 1 });
  }
  return { columns, rows };
}

function cellOf(value: unknown, source: Source): ComparisonCell {
  return {
    value,
    rule: source.rule,
    default: source.default === true,
    ...(source.quote ? { quote: source.quote } : {}),
    ...(source.note ? { note: source.note } : {}),
  };
}

/** Word lists are sets and mappings are unordered, so neither order makes a difference. */
function canonical(value: unknown): string {
  if (value === undefined) return '\u0000missing';
  return JSON.stringify(value, (_key, v: unknown) => {
    if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? [...v].sort() : v;
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}
