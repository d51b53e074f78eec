/**
 * `sscard import roster FILE` and `sscard export roster-template` against a real server: the upload,
 * the queued job followed to its end (plain progress lines off a terminal), the summary, the
 * report saved, and a non-zero exit when rows were refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildWorld, type World } from '../../../server/src/testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../../server/src/testing/harness.js';
import { registerPerson } from '../../../server/src/testing/people.js';
import { readXlsx } from '../../../server/src/files/xlsx-read.js';
import { run } from '../testing.js';
import { bar } from './progress.js';

let t: TestPlatform;
let w: World;
let url: string;
let token: string;
const dir = mkdtempSync(path.join(tmpdir(), 'sscard-transfer-'));
let good: { idNumber: string };

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
  good = await registerPerson(t, w.tokens.centre, { county: '350102', name: '命令行' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  token = w.tokens.centre; // a centre administrator signs in with a second factor
  await t.platform.services.queue.start();
}, 180_000);
afterAll(async () => {
  await t?.platform.services.queue.stop();
  await t?.close();
});

describe('sscard import / export', () => {
  it('draws a bar', () => {
    expect(bar(5, 10, 10)).toBe('[#####.....] 5/10 50%');
    expect(bar(3, null)).toBe('3');
  });

  it('imports a roster, follows the job, saves the report and exits 1 on refused rows', async () => {
    const file = path.join(dir, 'roster.csv');
    writeFileSync(
      file,
      `姓名,身份证号,手机\r\n命令行,${good.idNumber},13800138000\r\n坏行,123,13800138000\r\n`,
    );
    const report = path.join(dir, 'report.xlsx');
    const errs: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      errs.push(String(s));
      return true;
    });
    let res: { out: string; code: number };
    try {
      res = await run(
        'import',
        'roster',
        file,
        '--url',
        url,
        '--token',
        token,
        '--unit',
        '命令行单位',
        '--bank',
        w.bankA,
        '--branch',
        w.branchA,
        '--report',
        report,
        '--every',
        '100',
      );
    } finally {
      spy.mockRestore();
    }
    expect(res.code, res.out + errs.join('')).toBe(1);
    const summary = JSON.parse(res.out);
    expect(summary).toMatchObject({ status: 'succeeded', accepted: 1, refused: 1 });
    expect(errs.join('')).toMatch(/roster\.import (running|succeeded)/);
    const rows = [...readXlsx(new Uint8Array(readFileSync(report)))];
    expect(rows).toHaveLength(2);
    expect(rows[1]!.cells[1]).toBe('123');
    expect(rows[1]!.cells[5]).toBeTruthy();
  });

  it('exports the template', async () => {
    const out = path.join(dir, 'template.xlsx');
    const res = await run(
      'export',
      'roster-template',
      '--url',
      url,
      '--token',
      token,
      '--out',
      out,
    );
    expect(res.code, res.out).toBe(0);
    expect([...readXlsx(new Uint8Array(readFileSync(out)))][0]!.cells).toEqual([
      '姓名',
      '公民身份号码',
      '手机号码',
    ]);
  });

  it('a refused upload exits 1 with its code', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const res = await run(
      'import',
      'roster',
      file,
      '--url',
      url,
      '--token',
      token,
      '--unit',
      'x',
      '--bank',
      w.bankA,
      '--branch',
      w.branchA,
    );
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/ROSTER_COLUMNS_MISSING/);
  });
});
