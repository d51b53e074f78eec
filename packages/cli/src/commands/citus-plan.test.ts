/** `sscard db citus-plan` prints the reference and distributed tables of the migrated schema. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRIBUTION_PLAN } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

let inst: TestInstallation;
beforeAll(async () => {
  inst = await openTestInstallation('citus', () => ({}));
  expect((await run('migrate')).code).toBe(0);
}, 180_000);
afterAll(() => inst.remove());

describe('sscard db citus-plan', () => {
  it('prints a statement for every reference and distributed table, and the local ones as comments', async () => {
    const { out, code } = await run('db', 'citus-plan');
    expect(code).toBe(0);
    const statements = out.split('\n').filter((l) => l.startsWith('select '));
    expect(statements[0]).toBe("select create_reference_table('organizations');");
    expect(out).toContain(
      "select create_distributed_table('verification_log', 'card_no', colocate_with => 'none');",
    );
    expect(out).toContain(
      "select create_distributed_table('deny_list', 'card_no', colocate_with => 'verification_log');",
    );
    const placed = Object.values(DISTRIBUTION_PLAN).filter((p) => p.kind !== 'local').length;
    expect(statements).toHaveLength(placed);
    expect(out).toMatch(/^-- {3}persons: /m);
  }, 120_000);
});
