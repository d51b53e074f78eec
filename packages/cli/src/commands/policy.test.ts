import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NINGBO_PACK } from '@sscard/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../testing.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sscard-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sscard policy', () => {
  it('diff SH HN prints a readable table of the parameters that differ', async () => {
    const { out, code } = await run('policy', 'diff', 'SH', 'HN');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^parameter\s+\| SH 上海市 \S+\s+\| HN 海南省 \S+/);
    const term = lines.find((l) => l.startsWith('loss.temporary.termDays'));
    expect(term).toMatch(/\|\s+5\s+\|\s+15\s*$/);
    expect(out).toContain('card.validityYears');
  });

  it('show SH lists every parameter with its article or "default"', async () => {
    const { out } = await run('policy', 'show', 'SH');
    expect(out).toMatch(/loss\.temporary\.termDays\s+5\s+SH-18/);
    expect(out).toMatch(/\bdefault$/m);
  });

  it('validate accepts a sixth city and names the field of a broken one', async () => {
    const good = path.join(dir, 'nb.yaml');
    writeFileSync(good, NINGBO_PACK);
    const ok = await run('policy', 'validate', good);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('NB 宁波市');
    const bad = path.join(dir, 'broken.yaml');
    writeFileSync(bad, NINGBO_PACK.replace('value: 7', "value: 'seven'"));
    const res = await run('policy', 'validate', bad);
    expect(res.code).toBe(1);
    expect(res.out).toContain('loss.temporary.termDays.value');
  });
});
