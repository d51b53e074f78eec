/**
 * docs/alerts.yaml stays true to /metrics: it parses, every rule has an expression, a severity
 * and a summary, and every metric an expression names is one that /metrics exposes (or `up`,
 * which Prometheus records itself for every target). A renamed metric fails here, not at 3 a.m.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestPlatform, type TestPlatform } from '../testing/harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

interface Rule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

/** PromQL words that are not metric names. */
const PROMQL = new Set(
  (
    'sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ' +
    'ignoring group_left group_right and or unless bool offset rate irate increase delta idelta ' +
    'deriv predict_linear histogram_quantile clamp_min clamp_max clamp abs absent absent_over_time ' +
    'time vector scalar label_replace label_join changes resets avg_over_time max_over_time ' +
    'min_over_time sum_over_time count_over_time last_over_time ceil floor round sort sort_desc inf nan'
  ).split(' '),
);

/** The metric names in a PromQL expression: identifiers outside {…}, strings, by/on (…) lists. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/(?<![a-zA-Z0-9_:])\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi, ' ');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((n) => !PROMQL.has(n) && !/^\d/.test(n)))];
}

let t: TestPlatform;
beforeAll(async () => {
  t = await createTestPlatform();
}, 180_000);
afterAll(() => t.close());

describe('docs/alerts.yaml', () => {
  const doc = parse(readFileSync(path.join(ROOT, 'docs/alerts.yaml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = doc.groups.flatMap((g) => g.rules);

  it('reads names out of PromQL', () => {
    expect(
      metricNames(
        'sum by (le, route) (rate(a_bucket{route=~"/api/.*"}[5m])) / clamp_min(b, 1e-9) > 0.5 and c == 0',
      ),
    ).toEqual(['a_bucket', 'b', 'c']);
  });

  it('covers the alerts the operators need, each with a severity and a summary', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'SscardNodeDown',
        'SscardNotReady',
        'SscardHigh5xxRate',
        'SscardHighLatencyP95',
        'SscardAuditChainBroken',
        'SscardDailyJobFailed',
        'SscardQueueBacklog',
        'SscardQueueDeadJobs',
        'SscardDatabasePoolSaturated',
      ]),
    );
    for (const r of rules) {
      expect(r.expr, r.alert).toBeTruthy();
      expect(['critical', 'warning']).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
    }
  });

  it('names only metrics that /metrics exposes', async () => {
    const res = await t.api({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const exposed = new Set<string>(['up']);
    for (const m of res.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const [, name, type] = m as unknown as [string, string, string];
      exposed.add(name);
      if (type === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) exposed.add(name + s);
      if (type === 'summary') for (const s of ['_sum', '_count']) exposed.add(name + s);
    }
    const missing = rules.flatMap((r) =>
      metricNames(r.expr)
        .filter((n) => !exposed.has(n))
        .map((n) => `${r.alert}: ${n}`),
    );
    expect(missing).toEqual([]);
    // The queue's series exist once its table does; its metric family is always declared.
    expect(exposed.has('sscard_queue_jobs')).toBe(true);
  });
});
