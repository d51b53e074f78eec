/** The scenario report: one block per scenario, one line per step, then the totals and articles. */
import type { ScenarioResult, StepResult } from './runner.js';

const MARK: Record<StepResult['status'], string> = { passed: '✓', failed: '✗', not_run: '·' };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatScenario(result: ScenarioResult): string {
  const lines: string[] = [];
  const where = result.file ? `${result.file} · ` : '';
  const covers = result.covers.length ? ` [${result.covers.join(', ')}]` : '';
  const head = {
    passed: `✓ PASS ${where}${result.name}${covers} (${seconds(result.ms)})`,
    failed: `✗ FAIL ${where}${result.name}${covers} (${seconds(result.ms)})`,
    skipped: `- SKIP ${where}${result.name}${covers}: ${result.skip}`,
    invalid: `✗ INVALID ${result.file ?? result.name}`,
  }[result.status];
  lines.push(head);
  if (result.description) lines.push(`    ${result.description}`);
  for (const problem of result.problems) lines.push(`    ✗ ${problem}`);
  if (result.status === 'skipped' && result.wouldPass !== undefined)
    lines.push(
      result.wouldPass
        ? '    (run anyway: it passes now, so the skip can go)'
        : '    (run anyway: it still fails as below)',
    );
  const ran = result.status !== 'skipped' || result.wouldPass !== undefined;
  if (ran)
    for (const step of result.steps) {
      const suffix = step.status === 'not_run' ? '  (not run)' : '';
      // A failed expectation reads as what differs: `✗ 7 expect usable: expected true, got false`.
      if (step.act === 'expect' && step.message) {
        lines.push(`    ${MARK[step.status]} ${step.index} expect ${step.message}`);
        continue;
      }
      lines.push(`    ${MARK[step.status]} ${step.index} ${step.summary}${suffix}`);
      if (step.message) lines.push(`        ${step.message}`);
    }
  return lines.join('\n');
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  invalid: number;
  /** Articles covered by the scenarios that passed, in order. */
  articles: string[];
  ok: boolean;
}

export function totals(results: ScenarioResult[]): Totals {
  const count = (s: ScenarioResult['status']) => results.filter((r) => r.status === s).length;
  const articles = [
    ...new Set(results.filter((r) => r.status === 'passed').flatMap((r) => r.covers)),
  ].sort(compareArticles);
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    invalid: count('invalid'),
    articles,
    ok: count('failed') === 0 && count('invalid') === 0,
  };
}

/** SH-9 before SH-10. */
function compareArticles(a: string, b: string): number {
  const [pa = '', na = ''] = a.split('-');
  const [pb = '', nb = ''] = b.split('-');
  return pa.localeCompare(pb) || Number(na) - Number(nb) || a.localeCompare(b);
}

export function formatReport(results: ScenarioResult[]): string {
  const t = totals(results);
  const blocks = results.map(formatScenario);
  const summary = [
    `${results.length} scenario${results.length === 1 ? '' : 's'}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.invalid ? `, ${t.invalid} invalid` : ''}`,
    `articles covered: ${t.articles.length ? t.articles.join(', ') : 'none'}`,
  ];
  return [...blocks, '', ...summary].join('\n');
}
