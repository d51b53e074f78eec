/**
 * `sscard keys status|rotate` against a real database: people sealed under key A; with "B,A"
 * status shows the counts per key, a rotation stopped after one batch is carried on by the next
 * run, which retires A; then B alone serves, A alone is refused. Nothing printed is a key or a
 * personal value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mod11_2CheckChar } from '@sscard/domain';
import { configuredKeyIds, loadConfig, openPlatform, systemContext } from '@sscard/server';
import { openTestInstallation, run, type TestInstallation } from '../testing.js';

const A = Buffer.alloc(32, 0x41).toString('base64');
const B = Buffer.alloc(32, 0x42).toString('base64');
let inst: TestInstallation;
const kid = (masterKey: string) => configuredKeyIds({ masterKey, dataDir: inst.dir }).activeKeyId!;

const folks = Array.from({ length: 5 }, (_, i) => ({
  idType: 'resident_id' as const,
  idNumber: `31010119900101${String(200 + i)}` + mod11_2CheckChar(`31010119900101${200 + i}`),
  name: `命令${'甲乙丙丁戊'[i]}`,
  phone: `1380013${String(1000 + i)}`,
  householdAddress: `上海市徐汇区漕溪北路${100 + i}号`,
  jurisdiction: 'SH',
}));
const outputs: string[] = [];
const sscard = async (...args: string[]) => {
  const res = await run(...args);
  outputs.push(res.out);
  return res;
};

beforeAll(async () => {
  inst = await openTestInstallation('keys', () => ({ SSCARD_ADMIN_PASSWORD: 'Admin-Keys-2026!' }));
  process.env.SSCARD_MASTER_KEY = A;
  const platform = await openPlatform({ config: loadConfig() });
  try {
    for (const p of folks) await platform.services.persons.create(p, systemContext('test'));
  } finally {
    await platform.close();
  }
}, 120_000);

afterAll(() => inst.remove());

describe('sscard keys', () => {
  it('status counts the values per key in each sealed column', async () => {
    process.env.SSCARD_MASTER_KEY = `${B},${A}`;
    const { out, code } = await sscard('keys', 'status');
    expect(code).toBe(0);
    expect(out).toContain(`data keys: active ${kid(B)}; configured ${kid(B)}, ${kid(A)}`);
    expect(out).toMatch(new RegExp(`^persons\\.ssn_enc\\s+0\\s+5$`, 'm'));
    expect(out).toMatch(new RegExp(`^column\\s+${kid(B)}\\*\\s+${kid(A)}$`, 'm'));
    expect(out).toMatch(/^photos\.data_enc\s+0\s+0$/m);
    expect(out).toContain('values are sealed under another key than the active one');
  }, 60_000);

  it('rotate stops after the batches it is given and the next run carries on', async () => {
    const first = await sscard('keys', 'rotate', '--batch-size', '2', '--max-batches', '1');
    expect(first.code).toBe(0);
    expect(first.out).toContain('persons batch 1: 2 rows');
    expect(first.out).toContain('stopped after 1 batches');
    const middle = await sscard('keys', 'status');
    expect(middle.out).toMatch(/^persons\.ssn_enc\s+2\s+3$/m);

    const rest = await sscard('keys', 'rotate', '--batch-size', '2');
    expect(rest.code).toBe(0);
    expect(rest.out).toMatch(/done: \d+ values re-sealed in \d+ batches; 0 left under other keys/);
    expect(rest.out).toContain(`retired data key ${kid(A)}`);

    const after = await sscard('keys', 'status');
    expect(after.out).toMatch(/^persons\.ssn_enc\s+5$/m);
    expect(after.out).toContain(`every sealed value is under the active key ${kid(B)}`);
    expect(after.out).toMatch(new RegExp(`${kid(A)}\\s+added \\S+\\s+retired`));
  }, 120_000);

  it('then serves with B alone, and refuses A alone, naming the key ids', async () => {
    process.env.SSCARD_MASTER_KEY = B;
    const platform = await openPlatform({ config: loadConfig() });
    try {
      const found = await platform.services.persons.find(
        { idType: 'resident_id', idNumber: folks[3]!.idNumber },
        systemContext('test'),
      );
      expect(found.map((p) => p.phone)).toEqual([folks[3]!.phone]);
    } finally {
      await platform.close();
    }
    process.env.SSCARD_MASTER_KEY = A;
    const refused = await sscard('keys', 'rotate');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`data key ${kid(B)}`);
    // status needs no key that fits: it is how an operator finds out what is missing.
    const status = await sscard('keys', 'status');
    expect(status.code).toBe(0);
    expect(status.out).toMatch(new RegExp(`^column\\s+${kid(A)}\\*\\s+${kid(B)}!$`, 'm'));
  }, 120_000);

  it('prints no key and no personal value', () => {
    const all = outputs.join('\n');
    for (const secret of [A, B]) expect(all).not.toContain(secret);
    for (const p of folks) {
      for (const v of [p.idNumber, p.phone, p.householdAddress]) expect(all).not.toContain(v);
    }
  });
});
