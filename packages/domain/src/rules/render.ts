/**
 * Plain-text table of a comparison for `sscard policy diff SH HN`: padded by terminal width so
 * Chinese text lines up, long cells wrapped, ASCII rules only (box-drawing characters are
 * double-width in some CJK terminals). Shows only differing rows unless asked for all.
 */
import type { Comparison, ComparisonCell } from './compare.js';
import { displayWidth, padEnd, wrap } from './text-width.js';

export interface DiffRenderOptions {
  /** Include rows whose values agree. Default false. */
  all?: boolean;
  /** Append `[SH-18]` / `[default]` to each value. Default true. */
  sources?: boolean;
  /** Wrap cells wider than this many columns. Default 36. */
  maxCellWidth?: number;
  /** Language of the column headings. Default zh. */
  locale?: 'zh' | 'en';
}

export function renderPolicyDiff(comparison: Comparison, options: DiffRenderOptions = {}): string {
  const { all = false, sources = true, maxCellWidth = 36, locale = 'zh' } = options;
  const rows = comparison.rows.filter((r) => all || r.differs);
  const differing = comparison.rows.filter((r) => r.differs).length;

  const header = [
    'parameter',
    ...comparison.columns.map((c) => `${c.code} ${c.name[locale]} ${c.version}`),
  ];
  const body = rows.map((row) => [
    [row.path],
    ...comparison.columns.map(({ code }) =>
      wrap(cellText(row.cells[code] ?? null, sources), maxCellWidth),
    ),
  ]);
  const widths = header.map((h, i) =>
    Math.max(
      displayWidth(h),
      ...body.map((cells) => Math.max(...(cells[i] ?? ['']).map(displayWidth))),
    ),
  );

  const line = (cells: string[]) =>
    cells
      .map((c, i) => padEnd(c, widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const cells of body) {
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(cells.map((c) => c[i] ?? '')));
  }
  out.push('', `${differing} of ${comparison.rows.length} parameters differ`);
  return out.join('\n');
}

function cellText(cell: ComparisonCell | null, sources: boolean): string {
  if (!cell) return '(absent)';
  const value = formatValue(cell.value);
  if (!sources) return value;
  return `${value} [${cell.default ? 'default' : cell.rule}]`;
}

/** Short readable text for a parameter value: `30 working days from acceptance`, `yes`, `—`. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : value.map(formatValue).join(', ');
  const record = value as Record<string, unknown>;
  if (typeof record['amount'] === 'number' && typeof record['unit'] === 'string') {
    const period = `${record['amount']} ${String(record['unit']).replace('_', ' ')}`;
    return typeof record['from'] === 'string' ? `${period} from ${record['from']}` : period;
  }
  if (typeof record['fen'] === 'number' && Object.keys(record).length === 1) {
    return `${(record['fen'] / 100).toFixed(2)} yuan`;
  }
  return Object.entries(record)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join('; ');
}
