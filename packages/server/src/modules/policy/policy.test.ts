import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NINGBO_PACK } from '@sscard/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { loadRegistry } from './pack-files.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

describe('jurisdictions and their packs', () => {
  it('lists the five jurisdictions with version and status; SG is expired (SG-29)', async () => {
    const res = await t.api({ method: 'GET', url: '/api/v1/jurisdictions' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      shortCode: string;
      code: string;
      status: string;
      warnings: { code: string; rule?: string }[];
    }[];
    expect(items.map((j) => j.shortCode).sort()).toEqual(['FZ', 'HN', 'SG', 'SH', 'ZS']);
    const sg = items.find((j) => j.shortCode === 'SG')!;
    expect(sg).toMatchObject({ code: '440200', status: 'expired' });
    expect(sg.warnings).toContainEqual(
      expect.objectContaining({ code: 'PACK_EXPIRED', rule: 'SG-29' }),
    );
    expect(items.find((j) => j.shortCode === 'SH')!.status).toBe('in_force');
    // On a day inside its five years, SG is in force.
    const then = await t.api({ method: 'GET', url: '/api/v1/jurisdictions?at=2020-01-01' });
    expect(then.json().items.find((j: { shortCode: string }) => j.shortCode === 'SG').status).toBe(
      'in_force',
    );
  });

  it('serves a whole pack with citations, showing defaults as defaults', async () => {
    const res = await t.api({ method: 'GET', url: '/api/v1/jurisdictions/SH/policy' });
    expect(res.statusCode).toBe(200);
    const params = res.json().parameters as {
      path: string;
      value: unknown;
      rule: string;
      default: boolean;
      quote?: string;
    }[];
    expect(params.find((p) => p.path === 'loss.temporary.termDays')).toMatchObject({
      value: 5,
      rule: 'SH-18',
      default: false,
      quote: '临时挂失的有效期为 5 日',
    });
    const defaults = params.filter((p) => p.default);
    expect(defaults.length).toBeGreaterThan(10);
    expect(defaults.every((p) => p.rule === 'DEFAULT')).toBe(true);
    // Division codes work as well as short codes.
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/jurisdictions/460000/policy' })).json()
        .jurisdiction.shortCode,
    ).toBe('HN');
    // A district code inside a jurisdiction finds it.
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/jurisdictions/310115/policy' })).json()
        .jurisdiction.shortCode,
    ).toBe('SH');
  });

  it('answers 404 for a well-formed jurisdiction the installation does not serve', async () => {
    for (const code of ['110000', 'XX', 'bj']) {
      const en = await t.api({
        method: 'GET',
        url: `/api/v1/jurisdictions/${code}/policy`,
        lang: 'en',
      });
      expect(en.statusCode, code).toBe(404);
      expect(en.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = en.json();
      expect(body).toMatchObject({
        code: 'JURISDICTION_NOT_SERVED',
        status: 404,
        type: '/api/v1/problems/JURISDICTION_NOT_SERVED',
        title: 'Jurisdiction not served',
      });
      expect(body.detail).toContain(`does not serve the jurisdiction "${code}"`);
      expect(body.detail).not.toMatch(/six-digit/);
      for (const served of ['Shanghai (SH, 310000)', 'HN, 460000', 'SG, 440200', 'ZS', 'FZ']) {
        expect(body.detail).toContain(served);
      }
    }
    const zh = await t.api({ method: 'GET', url: '/api/v1/jurisdictions/110000/policy' });
    expect(zh.statusCode).toBe(404);
    expect(zh.json().title).toBe('本系统不服务该统筹区');
    expect(zh.json().detail).toContain('本系统不服务统筹区“110000”');
    expect(zh.json().detail).toContain('（SH，310000）');
  });

  it('answers 422 for a malformed jurisdiction code in the path', async () => {
    for (const code of ['11000', '1100000', 'X', 'SH1', 'ABCDE', '%E4%B8%8A%E6%B5%B7']) {
      const res = await t.api({
        method: 'GET',
        url: `/api/v1/jurisdictions/${code}/policy`,
        lang: 'en',
      });
      expect(res.statusCode, code).toBe(422);
      expect(res.json().code, code).toBe('JURISDICTION_CODE_INVALID');
      expect(res.json().detail).toMatch(/neither a six-digit administrative division code/);
    }
    const zh = await t.api({ method: 'GET', url: '/api/v1/jurisdictions/X/policy' });
    expect(zh.json().detail).toBe('“X”既不是六位行政区划代码，也不是二至四个字母的统筹区简称。');
  });

  it('treats the codes of a comparison like a path: 404 when not served, 422 when malformed', async () => {
    const unserved = await t.api({
      method: 'GET',
      url: '/api/v1/policy/compare?codes=SH,110000',
      lang: 'en',
    });
    expect(unserved.statusCode).toBe(404);
    expect(unserved.json()).toMatchObject({ code: 'JURISDICTION_NOT_SERVED' });
    expect(unserved.json().detail).toContain('"110000"');
    const malformed = await t.api({
      method: 'GET',
      url: '/api/v1/policy/compare?codes=XX,S1',
      lang: 'en',
    });
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json()).toMatchObject({ code: 'JURISDICTION_CODE_INVALID' });
    expect(malformed.json().detail).toContain('"S1"');
    // Division and district codes compare as well as short codes.
    const ok = await t.api({ method: 'GET', url: '/api/v1/policy/compare?codes=310000,460105' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().columns.map((c: { code: string }) => c.code)).toEqual(['SH', 'HN']);
  });

  it('keeps 422 where a body names an unserved jurisdiction, with a message that fits', async () => {
    for (const jurisdiction of ['110000', 'XX', '11']) {
      const res = await t.api({
        method: 'POST',
        url: '/api/v1/fees/quote',
        token: w.tokens.branchA,
        payload: { jurisdiction, kind: 'replacement' },
        lang: 'en',
      });
      expect(res.statusCode, jurisdiction).toBe(422);
      expect(res.json().code).toBe('JURISDICTION_UNKNOWN');
      expect(res.json().detail).toContain(
        `"${jurisdiction}" is not a jurisdiction this installation serves`,
      );
    }
  });

  it('declares both languages for the jurisdiction problems', async () => {
    const en = await t.api({ method: 'GET', url: '/api/v1/problems', lang: 'en' });
    const zh = await t.api({ method: 'GET', url: '/api/v1/problems' });
    const find = (res: typeof en, code: string) =>
      (res.json() as { code: string; status: number; title: string }[]).find(
        (p) => p.code === code,
      );
    expect(find(en, 'JURISDICTION_NOT_SERVED')).toEqual({
      code: 'JURISDICTION_NOT_SERVED',
      status: 404,
      title: 'Jurisdiction not served',
    });
    expect(find(zh, 'JURISDICTION_NOT_SERVED')?.title).toBe('本系统不服务该统筹区');
    expect(find(en, 'JURISDICTION_CODE_INVALID')).toMatchObject({ status: 422 });
    expect(find(zh, 'JURISDICTION_CODE_INVALID')?.title).toBe('统筹区代码格式无效');
    expect(find(en, 'JURISDICTION_UNKNOWN')).toMatchObject({ status: 422 });
  });

  it('compares jurisdictions side by side', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/policy/compare?codes=SH,HN&differing=true',
    });
    const body = res.json();
    expect(body.columns.map((c: { code: string }) => c.code)).toEqual(['SH', 'HN']);
    const term = body.rows.find((r: { path: string }) => r.path === 'loss.temporary.termDays');
    expect(term.cells.SH).toMatchObject({ value: 5, rule: 'SH-18' });
    expect(term.cells.HN).toMatchObject({ value: 15, rule: 'HN-17' });
    expect(body.rows.every((r: { differs: boolean }) => r.differs)).toBe(true);
  });

  it('reports expired packs in /readyz', async () => {
    const res = await t.api({ method: 'GET', url: '/readyz' });
    expect(res.json().details.rulePacks).toContainEqual(
      expect.objectContaining({ code: 'PACK_EXPIRED', jurisdiction: 'SG' }),
    );
  });
});

describe('fees', () => {
  it('quotes a fee with its citation; Shanghai is always free (SH-24)', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/fees/quote',
      token: w.tokens.branchA,
      payload: { jurisdiction: 'SH', kind: 'replacement' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amountFen: 0, citation: { rule: 'SH-24' } });
  });

  it('takes delegated amounts from the installation schedule, set by an administrator', async () => {
    const before = await t.api({
      method: 'POST',
      url: '/api/v1/fees/quote',
      token: w.tokens.branchA,
      payload: { jurisdiction: 'HN', kind: 'replacement' },
    });
    expect(before.json()).toMatchObject({
      amountFen: 0,
      configuration: { source: 'unconfigured' },
    });
    const denied = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule',
      token: w.tokens.branchA,
      payload: { HN: { replacement: 2000 } },
    });
    expect(denied.statusCode).toBe(403);
    // A city's centre does not set another jurisdiction's amounts, nor the whole schedule.
    const theirs = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/HN',
      token: w.tokens.centre,
      payload: { replacement: 2000 },
    });
    expect(theirs.json().code).toBe('NOT_RESPONSIBLE');
    const put = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule',
      token: w.tokens.admin,
      payload: { HN: { replacement: 2000 } },
    });
    expect(put.statusCode).toBe(200);
    const after = await t.api({
      method: 'POST',
      url: '/api/v1/fees/quote',
      token: w.tokens.branchA,
      payload: { jurisdiction: 'HN', kind: 'replacement' },
    });
    expect(after.json()).toMatchObject({
      amountFen: 2000,
      configuration: { source: 'schedule' },
      citation: { rule: 'HN-24' },
    });
    const hardship = await t.api({
      method: 'POST',
      url: '/api/v1/fees/quote',
      token: w.tokens.branchA,
      payload: { jurisdiction: 'HN', kind: 'replacement', hardship: 'dibao' },
    });
    expect(hardship.json()).toMatchObject({
      amountFen: 0,
      exemption: { kind: 'hardship', citation: { rule: 'HN-24' } },
    });
    const bad = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/SH',
      token: w.tokens.centre,
      payload: { replacement: 20.5 },
    });
    expect(bad.statusCode).toBe(422);
    const own = await t.api({
      method: 'PUT',
      url: '/api/v1/fees/schedule/SH',
      token: w.tokens.centre,
      payload: { replacement: 1500 },
    });
    expect(own.json()).toMatchObject({ HN: { replacement: 2000 }, SH: { replacement: 1500 } });
  });
});

describe('the working-day calendar', () => {
  it('computes a deadline across National Day 2026 and its make-up days', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/calendar/due',
      token: w.tokens.branchA,
      payload: { start: '2026-09-30T10:00:00+08:00', amount: 3, unit: 'working_days' },
    });
    expect(res.statusCode).toBe(200);
    // 1-7 October are holidays in 2026; 8-9 are working days, 10 October (Saturday) is a make-up day.
    expect(res.json().due).toBe('2026-10-10T23:59:59.999+08:00');
    expect(res.json().warnings).toEqual([]);
  });

  it('warns when a deadline runs into a year without holiday data, and an override table fixes it', async () => {
    const before = await t.api({
      method: 'POST',
      url: '/api/v1/calendar/due',
      token: w.tokens.branchA,
      payload: { start: '2027-01-04T10:00:00+08:00', amount: 1, unit: 'working_days' },
    });
    expect(before.json().warnings).toEqual([{ code: 'CALENDAR_FALLBACK', year: 2027 }]);
    const table = {
      overrides: [
        { date: '2027-01-01', kind: 'holiday', note: '测试：2027 元旦' },
        { date: '2027-01-05', kind: 'holiday', note: '测试：假设的调整' },
      ],
      completeYears: [2027],
    };
    const put = await t.api({
      method: 'PUT',
      url: '/api/v1/calendar/overrides',
      token: w.tokens.admin,
      payload: table,
    });
    expect(put.statusCode).toBe(200);
    const after = await t.api({
      method: 'POST',
      url: '/api/v1/calendar/due',
      token: w.tokens.branchA,
      payload: { start: '2027-01-04T10:00:00+08:00', amount: 1, unit: 'working_days' },
    });
    expect(after.json()).toEqual({ due: '2027-01-06T23:59:59.999+08:00', warnings: [] });
    const cal = await t.api({
      method: 'GET',
      url: '/api/v1/calendar',
      token: w.tokens.centre,
      lang: 'en',
    });
    expect(cal.json().table.completeYears).toEqual([2027]);
    const bad = await t.api({
      method: 'PUT',
      url: '/api/v1/calendar/overrides',
      token: w.tokens.admin,
      payload: { overrides: [table.overrides[0], table.overrides[0]], completeYears: [] },
    });
    expect(bad.json().code).toBe('CALENDAR_OVERRIDE_DUPLICATE');
  });

  it('warns in December that next year is missing', async () => {
    await t.setClock(new Date('2026-12-02T01:00:00Z'));
    try {
      const token = await t.login('admin', 'Admin-Test-2026!'); // earlier sessions timed out
      await t.api({
        method: 'PUT',
        url: '/api/v1/calendar/overrides',
        token,
        payload: { overrides: [], completeYears: [] },
      });
      const res = await t.api({
        method: 'GET',
        url: '/api/v1/calendar',
        token,
        lang: 'en',
      });
      expect(res.json().warnings).toContainEqual(
        expect.objectContaining({ code: 'CALENDAR_NEXT_YEAR_MISSING', year: 2027 }),
      );
      expect(
        (await t.api({ method: 'GET', url: '/readyz' })).json().details.calendar,
      ).toContainEqual({ code: 'CALENDAR_NEXT_YEAR_MISSING', year: 2027 });
    } finally {
      await t.setClock(new Date('2026-05-06T01:00:00Z'));
    }
  });
});

describe('a sixth jurisdiction from a file', () => {
  let dir: string;
  let six: TestPlatform;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sscard-packs-'));
    writeFileSync(path.join(dir, 'nb.yaml'), NINGBO_PACK);
    six = await createTestPlatform({ SSCARD_PACKS_DIR: dir });
  });
  afterAll(async () => {
    await six.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is served end to end through the API with no code change', async () => {
    const list = await six.api({ method: 'GET', url: '/api/v1/jurisdictions' });
    expect(list.json().items.map((j: { shortCode: string }) => j.shortCode)).toContain('NB');
    const policy = await six.api({ method: 'GET', url: '/api/v1/jurisdictions/NB/policy' });
    expect(
      policy.json().parameters.find((p: { path: string }) => p.path === 'loss.temporary.termDays'),
    ).toMatchObject({ value: 7, rule: 'NB-12' });
    const compare = await six.api({ method: 'GET', url: '/api/v1/policy/compare?codes=NB,SH' });
    expect(compare.statusCode).toBe(200);
    const admin = await six.login('admin', 'Admin-Test-2026!');
    const centre = await six.api({
      method: 'POST',
      url: '/api/v1/organizations',
      token: admin,
      payload: {
        kind: 'centre',
        level: 'city',
        code: 'NB-CENTRE',
        name: '宁波市社会保障卡服务中心',
        jurisdiction: 'NB',
      },
    });
    expect(centre.statusCode).toBe(201);
    expect(centre.json().jurisdiction).toBe('330200');
    const quote = await six.api({
      method: 'POST',
      url: '/api/v1/fees/quote',
      token: admin,
      payload: { jurisdiction: '330200', kind: 'replacement' },
    });
    expect(quote.json()).toMatchObject({ amountFen: 1500, citation: { rule: 'NB-20' } });
  });

  it('a broken pack stops start-up, naming the file and the field', () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'sscard-broken-'));
    try {
      writeFileSync(
        path.join(broken, 'nb.yaml'),
        NINGBO_PACK.replace('value: 7', "value: 'seven'"),
      );
      expect(() => loadRegistry(broken)).toThrow(/nb\.yaml.*loss\.temporary\.termDays/s);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
