import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../testing.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sscard-scenario-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = 'name: t\njurisdiction: SH\ncovers: [SH-18]\ndescription: d\n';

// The scenarios themselves run in packages/server/src/scenarios/scenarios.test.ts;
// these check the command around them without starting a platform.
describe('sscard scenario run', () => {
  it('exits 1 and names the step and field of a scenario it cannot read', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, `${HEAD}steps:\n  - person: 张三\n  - loss: { kind: lost }\n`);
    const { out, code } = await run('scenario', 'run', file);
    expect(code).toBe(1);
    expect(out).toContain(`✗ INVALID ${file}`);
    expect(out).toContain('step 2 (line 7) (loss): field "kind" must be one of temporary, formal');
    expect(out).toContain('1 scenario: 0 passed, 0 failed, 0 skipped, 1 invalid');
  });

  it('reports a skipped scenario as skipped, with its reason, and exits 0', async () => {
    const file = path.join(dir, 'skipped.yaml');
    writeFileSync(file, `${HEAD}skip: 'bug: waiting for a fix'\nsteps:\n  - person: 张三\n`);
    const { out, code } = await run('scenario', 'run', '--no-run-skipped', file);
    expect(code).toBe(0);
    expect(out).toContain(`- SKIP ${file} · t [SH-18]: bug: waiting for a fix`);
    expect(out).toContain('1 scenario: 0 passed, 0 failed, 1 skipped');
  });
});
