/**
 * Every scenario under scenarios/ at the repository root, run through the services (one test per
 * file, named by the file and the articles it covers); checks that the files keep to the rules of
 * the folder (three per jurisdiction, articles of their own pack, refusals naming their rule);
 * and unit tests of the parser and of the runner catching a wrong expectation.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { citationGap } from '@sscard/domain';
import { BUILT_IN_PACKS_DIR, loadRegistry } from '../modules/policy/pack-files.js';
import { formatReport, formatScenario } from './report.js';
import { prepareScenarioTemplate, runScenario, runScenarioFile } from './runner.js';
import { parseScenario, ScenarioParseError, type Scenario } from './scenario.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const DIR = path.join(ROOT, 'scenarios');
const registry = loadRegistry(undefined);
/** The scenarios start on 2026-05-06 (scenario.ts: DEFAULT_START); packs in force then. */
const TEST_DAY = '2026-05-06';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? yamlFiles(path.join(dir, e.name))
        : /\.ya?ml$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    )
    .sort();
}

const files = yamlFiles(DIR).map((file) => {
  const rel = path.relative(ROOT, file);
  try {
    return { file, rel, scenario: parseScenario(readFileSync(file, 'utf8'), rel) };
  } catch (e) {
    return { file, rel, error: e as Error };
  }
});

let template: Blob;
beforeAll(async () => {
  const base = inject('pgliteTemplate');
  template = await prepareScenarioTemplate(base ? new Blob([readFileSync(base)]) : undefined);
}, 120_000);

describe('the scenarios', () => {
  for (const { file, rel, scenario, error } of files) {
    if (!scenario) {
      it(`${rel} is a valid scenario`, () => {
        throw error;
      });
      continue;
    }
    const title = `${rel} [${scenario.covers.join(', ')}]`;
    (scenario.skip ? it.skip : it)(
      title,
      async () => {
        const result = await runScenarioFile(file, { template, file: rel });
        expect(result.status, formatScenario(result)).toBe('passed');
        // Issue 10 (5): a refusal cites the article whose words refuse, not DEFAULT, wherever
        // the pack holds the deciding parameter with an article.
        const pack = registry.packFor(scenario.jurisdiction, TEST_DAY);
        const gaps = result.steps.flatMap((s) =>
          (s.refusals ?? []).flatMap((r) => {
            const gap = citationGap(pack, r);
            return gap ? [`step ${s.index} (${s.summary}): ${gap}`] : [];
          }),
        );
        expect(gaps).toEqual([]);
      },
      120_000,
    );
  }
});

describe('the scenarios folder', () => {
  const parsed = files.flatMap((f) => (f.scenario ? [{ ...f, scenario: f.scenario }] : []));

  it('has at least three running scenarios for each jurisdiction', () => {
    for (const code of ['SH', 'HN', 'FZ', 'SG', 'ZS']) {
      const running = parsed.filter((f) => f.scenario.jurisdiction === code && !f.scenario.skip);
      expect(running.length, code).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps each jurisdiction in its folder and cites only articles of its own pack', () => {
    for (const { rel, scenario } of parsed) {
      const code = scenario.jurisdiction;
      expect(rel.split(path.sep)[1], rel).toBe(code.toLowerCase());
      const pack = readFileSync(
        path.join(BUILT_IN_PACKS_DIR, `${code.toLowerCase()}.yaml`),
        'utf8',
      );
      for (const article of scenario.covers) {
        expect(article.startsWith(`${code}-`), `${rel}: ${article}`).toBe(true);
        expect(pack, `${rel}: ${article} is cited nowhere in the ${code} pack`).toMatch(
          new RegExp(`rule: ${article}\\b`),
        );
      }
    }
  });

  it('names the rule every refusal expects (or `none`)', () => {
    for (const { rel, scenario } of parsed) {
      if (scenario.skip) continue;
      for (const step of scenario.steps) {
        const refused = step.params.refused;
        if (refused === undefined) continue;
        expect(
          typeof refused === 'object' && (refused as { rule?: string }).rule !== undefined,
          `${rel} step ${step.index} (${step.act}): say which rule the refusal cites`,
        ).toBe(true);
      }
    }
  });
});

// ---- the parser ----------------------------------------------------------------------------

const HEAD = `name: t\njurisdiction: SH\ncovers: [SH-18]\ndescription: d\n`;

function problemsOf(source: string): string[] {
  try {
    parseScenario(source);
  } catch (e) {
    if (e instanceof ScenarioParseError) return e.problems;
    throw e;
  }
  throw new Error('parsed without complaint');
}

describe('parseScenario', () => {
  it('reads steps, shorthand values and durations', () => {
    const s: Scenario = parseScenario(
      `${HEAD}start: '2026-06-01T10:00:00+08:00'\nsteps:\n  - person: 张三\n  - apply: first\n  - issue\n  - loss: { kind: temporary, via: phone }\n  - advance: 6d\n  - advance: { workingDays: 3 }\n  - expect: { usable: true, application: { status: issued } }\n`,
    );
    expect(s.start.toISOString()).toBe('2026-06-01T02:00:00.000Z');
    expect(s.steps.map((x) => [x.act, x.params])).toEqual([
      ['person', { as: '张三' }],
      ['apply', { kind: 'first' }],
      ['issue', {}],
      ['loss', { kind: 'temporary', via: 'phone' }],
      ['advance', { days: 6 }],
      ['advance', { workingDays: 3 }],
      ['expect', { usable: true, application: { status: 'issued' } }],
    ]);
    expect(s.steps[3]!.line).toBe(10);
  });

  it('names the step, its line and the field at fault', () => {
    const problems = problemsOf(
      `${HEAD}steps:\n  - person: 张三\n  - loss: { kind: temprary }\n  - issue: { to: holder, colour: red }\n`,
    );
    expect(problems).toEqual([
      'step 2 (line 7) (loss): field "kind" must be one of temporary, formal (got "temprary")',
      expect.stringMatching(/^step 3 \(line 8\) \(issue\): unknown field "colour" \(fields: to, /),
    ]);
  });

  it('refuses unknown steps, missing fields, bad durations and unknown error codes', () => {
    const problems = problemsOf(
      `name: t\njurisdiction: SH\ndescription: d\nsteps:\n  - lose: formal\n  - loss: { via: phone }\n  - advance: 6 days\n  - unreport: { refused: { code: NO_SUCH_CODE, rule: SH-19 } }\n  - expect: {}\n`,
    );
    expect(problems[0]).toBe('"covers" is required: a list of articles, e.g. [SH-18, SH-19]');
    expect(problems[1]).toMatch(/^step 1 \(line 5\): unknown step "lose" \(steps: person, /);
    expect(problems[2]).toBe('step 2 (line 6) (loss): field "kind" is required');
    expect(problems[3]).toBe(
      'step 3 (line 7) (advance): "6 days" is not a duration like 6d, 12h or 30m',
    );
    expect(problems[4]).toBe(
      'step 4 (line 8) (unreport): field "refused" names an unknown error code "NO_SUCH_CODE" (got {"code":"NO_SUCH_CODE","rule":"SH-19"})',
    );
    expect(problems[5]).toBe(
      'step 5 (line 9) (expect): expects nothing; name a field, e.g. usable: true',
    );
  });

  it('names the whole path of a field inside a map', () => {
    expect(
      problemsOf(
        `${HEAD}steps:\n  - expect: { application: { fee: cheap } }\n  - cancel: { reason: death, evidence: { certificate: x } }\n  - loss: { kind: formal, refused: { rule: SH-18 } }\n`,
      ),
    ).toEqual([
      'step 1 (line 6) (expect): field "application.fee" must be a whole number (got "cheap")',
      expect.stringMatching(
        /^step 2 \(line 7\) \(cancel\): field "evidence.certificate" is not a field here \(fields: deathCertificate, /,
      ),
      'step 3 (line 8) (loss): field "refused.code" is required (fields: code, rule)',
    ]);
  });
});

// ---- the runner ----------------------------------------------------------------------------

const ISSUED = `${HEAD}steps:
  - person: 张三
  - apply: first
  - check: all
  - stock
  - issue
  - activate: social
`;

describe('runScenario', () => {
  it('fails a scenario that expects the wrong thing, at that step, and runs nothing after it', async () => {
    const result = await runScenario(
      `${ISSUED}  - loss: { kind: temporary, via: phone }\n  - expect: { usable: true }\n  - unreport: { as: community }\n`,
      { template },
    );
    expect(result.status).toBe('failed');
    expect(result.steps.map((s) => s.status)).toEqual([
      ...Array(7).fill('passed'),
      'failed',
      'not_run',
    ]);
    expect(result.steps[7]!.message).toBe('usable: expected true, got false');
    const report = formatReport([result]);
    expect(report).toContain('✓ 7 loss temporary via phone');
    expect(report).toContain('✗ 8 expect usable: expected true, got false');
    expect(report).toContain('· 9 unreport as community  (not run)');
    expect(report).toContain('1 scenario: 0 passed, 1 failed, 0 skipped');
    expect(report).toContain('articles covered: none');
  });

  it('fails an act that should have been refused, and a refusal citing another rule', async () => {
    const done = await runScenario(
      `${ISSUED}  - loss: { kind: temporary, via: phone, refused: { code: LOSS_NOT_ALLOWED, rule: SH-18 } }\n`,
      { template },
    );
    expect(done.status).toBe('failed');
    expect(done.steps[6]!.message).toBe('expected refusal LOSS_NOT_ALLOWED, but it was done');

    const otherRule = await runScenario(
      `${ISSUED}  - loss: { kind: temporary, refused: { code: PLACE_NOT_ALLOWED, rule: SH-19 } }\n`,
      { template },
    );
    expect(otherRule.status).toBe('failed');
    expect(otherRule.steps[6]!.message).toMatch(
      /^expected refusal PLACE_NOT_ALLOWED \(SH-19\), got PLACE_NOT_ALLOWED \(SH-18\): /,
    );
  });

  it('passes a scenario that says what the rules do, and reports what it covers', async () => {
    const result = await runScenario(
      `${ISSUED}  - loss: { kind: temporary, via: phone }\n  - advance: 6d\n  - expect: { usable: true, lapsed: true }\n`,
      { template },
    );
    expect(result.status, formatScenario(result)).toBe('passed');
    expect(formatReport([result])).toContain('articles covered: SH-18');
  });

  it('reports a skipped scenario as skipped, and an invalid one as invalid', async () => {
    const skipped = await runScenario(`${HEAD}skip: waiting for a fix\nsteps:\n  - person: 张三\n`);
    expect(skipped).toMatchObject({ status: 'skipped', skip: 'waiting for a fix' });
    const invalid = await runScenario(`${HEAD}steps:\n  - loss: lost\n`);
    expect(invalid.status).toBe('invalid');
    expect(invalid.problems[0]).toMatch(/^step 1 \(line 6\) \(loss\): field "kind"/);
    expect(formatReport([skipped, invalid])).toContain(
      '2 scenarios: 0 passed, 0 failed, 1 skipped, 1 invalid',
    );
  });
});
