/**
 * Unit batch applications from rosters (FZ-18, HN-9, SH-9): every row validated through the same
 * domain decision as a counter's, the per-row report, the caps, re-import, access.
 */
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { registerPerson, residentId } from '../../testing/people.js';
import { issuedCard } from '../../testing/cards.js';
import type { BankSimulator } from '../../adapters/bank/bank-simulator.js';
import { writeXlsx } from '../../files/xlsx-write.js';
import { readXlsx } from '../../files/xlsx-read.js';

let t: TestPlatform;
let fz: World;
let sh: World;
const people: { name: string; idNumber: string }[] = [];
let liveCard: string;

beforeAll(async () => {
  t = await createTestPlatform();
  fz = await buildWorld(t, 'FZ', '350100');
  sh = await buildWorld(t, 'SH', '310000');
  for (let i = 0; i < 3; i++) {
    const name = `花名${'甲乙丙'[i]}`;
    const p = await registerPerson(t, fz.tokens.centre, { county: '350102', name });
    people.push({ name, idNumber: p.idNumber });
  }
  try {
    liveCard = (await issuedCard(t, fz)).idNumber;
  } catch {
    liveCard = '';
  }
}, 240_000);
afterAll(async () => {
  await t?.close();
});

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(
  body: string | Uint8Array,
  opts: { token?: string; type?: string; world?: World; unit?: string } = {},
) {
  const w = opts.world ?? fz;
  const q = new URLSearchParams({
    bankId: w.bankA,
    branchId: w.branchA,
    unitName: opts.unit ?? '福州测试单位',
  });
  return t.api({
    method: 'POST',
    url: `/api/v1/rosters?${q}`,
    token: opts.token ?? w.tokens.centre,
    headers: { 'content-type': opts.type ?? CSV, 'x-filename': encodeURIComponent('花名册.csv') },
    payload: Buffer.from(typeof body === 'string' ? strToU8(body) : body),
  });
}

async function imported(body: string | Uint8Array, opts: Parameters<typeof upload>[1] = {}) {
  const res = await upload(body, opts);
  if (res.statusCode === 500)
    console.error(
      t
        .logs()
        .split('\n')
        .filter((l) => l.includes('"err'))
        .slice(-2)
        .join('\n')
        .slice(0, 3000),
    );
  expect(res.statusCode, res.body).toBe(201);
  const roster = res.json<{ id: string; jobId: string }>();
  await t.platform.services.queue.drain();
  const rows = await t.api({
    method: 'GET',
    url: `/api/v1/rosters/${roster.id}/rows?limit=100`,
    token: fz.tokens.centre,
    lang: 'en',
  });
  expect(rows.statusCode, rows.body).toBe(200);
  const got = await t.api({
    method: 'GET',
    url: `/api/v1/rosters/${roster.id}`,
    token: fz.tokens.centre,
  });
  return {
    roster: got.json<{
      id: string;
      status: string;
      accepted: number;
      refused: number;
      jobId: string;
    }>(),
    rows: rows.json<{
      items: {
        rowNo: number;
        outcome: string;
        code: string | null;
        rule: string | null;
        reason: string | null;
        applicationId: string | null;
      }[];
    }>().items,
  };
}

describe('roster import (FZ-18)', () => {
  let rosterId = '';
  it('accepts the good rows as applications and gives each bad row its reason', async () => {
    const adultNoPhoto = residentId('1990-01-01', '350102');
    const child = residentId('2016-05-05', '350102');
    const bad = people[1]!.idNumber.slice(0, 17) + (people[1]!.idNumber.endsWith('0') ? '1' : '0');
    const lines = [
      '姓名,身份证号,手机', // header variants
      `${people[0]!.name},${people[0]!.idNumber},13800138001`, // 2 accepted
      `${people[1]!.name},${bad},13800138002`, // 3 checksum
      `${people[0]!.name},${people[0]!.idNumber},13800138001`, // 4 duplicate of 2
      `无照片,${adultNoPhoto},13800138003`, // 5 not registered, no photo
      `${people[2]!.name},${people[2]!.idNumber},12345`, // 6 bad phone
      `,${people[2]!.idNumber},13800138004`, // 7 no name
      `小孩,${child},13800138005`, // 8 a minor without a guardian
      `别名,${people[1]!.idNumber},13800138006`, // 9 name differs from the register
      ...(liveCard ? [`持卡人,${liveCard},13800138007`] : []), // 10 a live card (name differs?)
    ];
    const { roster, rows } = await imported(lines.join('\r\n'));
    rosterId = roster.id;
    expect(roster.status).toBe('done');
    const by = new Map(rows.map((r) => [r.rowNo, r]));
    expect(by.get(2)).toMatchObject({ outcome: 'accepted' });
    expect(by.get(2)!.applicationId).toBeTruthy();
    expect(by.get(3)).toMatchObject({ outcome: 'refused' });
    expect(by.get(3)!.code).toMatch(/ID_/);
    expect(by.get(4)).toMatchObject({ outcome: 'refused', code: 'ROSTER_DUPLICATE_ROW' });
    expect(by.get(4)!.reason).toContain('row 2');
    expect(by.get(5)).toMatchObject({ outcome: 'refused', code: 'PHOTO_REQUIRED' });
    expect(by.get(6)).toMatchObject({ outcome: 'refused', code: 'ROSTER_PHONE_INVALID' });
    expect(by.get(7)).toMatchObject({ outcome: 'refused', code: 'ROSTER_FIELD_MISSING' });
    expect(by.get(8)).toMatchObject({ outcome: 'refused', code: 'AGENT_REQUIRED' });
    expect(by.get(8)!.rule).toMatch(/^FZ-/);
    expect(by.get(9)).toMatchObject({ outcome: 'refused', code: 'ROSTER_NAME_MISMATCH' });
    expect(roster.accepted).toBe(1);
    expect(roster.refused).toBe(rows.length - 1);

    // The application is a unit batch one, audited.
    const app = await t.api({
      method: 'GET',
      url: `/api/v1/applications/${by.get(2)!.applicationId}`,
      token: fz.tokens.centre,
    });
    expect(app.statusCode, app.body).toBe(200);
    expect(app.json()).toMatchObject({ channel: 'unit' });
  });

  it('a person with an open application (or a live card) is refused on a second roster', async () => {
    const lines = [
      '名字,公民身份号码,联系电话',
      `${people[0]!.name},${people[0]!.idNumber},13800138001`,
    ];
    if (liveCard) {
      const reg = await t.platform.services.persons.repo.findIdByKey(
        'id_document',
        `resident_id:${liveCard}`,
      );
      const p = reg ? await t.platform.services.persons.repo.findById(reg) : undefined;
      if (p) lines.push(`${p.name},${liveCard},13800138009`);
    }
    const { rows } = await imported(lines.join('\n'), { unit: '另一单位' });
    expect(rows[0]).toMatchObject({ outcome: 'refused' });
    expect(rows[0]!.code).toMatch(/ONE_CARD|APPLICATION|EXISTS/);
    if (rows[1]) expect(rows[1]).toMatchObject({ outcome: 'refused' });
  });

  it('a chunk the bank refuses an account in goes row by row: only that row is refused (HN-11), the rest come to what a chunk at once makes', async () => {
    const bank = t.platform.services.bank as BankSimulator;
    const reg = (name: string) => registerPerson(t, fz.tokens.centre, { county: '350102', name });
    const [once, byRow, refused] = [
      await reg('整批甲'),
      await reg('逐行乙'),
      await reg('开户失败'),
    ];
    // A chunk at once.
    const first = await imported(
      ['姓名,身份证号,手机', `整批甲,${once.idNumber},13800138011`].join('\n'),
      { unit: '整批单位' },
    );
    bank.refuseOpeningWhen = (holder) => holder.name === '开户失败';
    let second: Awaited<ReturnType<typeof imported>>;
    try {
      second = await imported(
        [
          '姓名,身份证号,手机',
          `逐行乙,${byRow.idNumber},13800138012`,
          `开户失败,${refused.idNumber},13800138013`,
        ].join('\n'),
        { unit: '逐行单位' },
      );
    } finally {
      bank.refuseOpeningWhen = null;
    }
    expect(first.rows[0]).toMatchObject({ outcome: 'accepted' });
    expect(second.rows[0]).toMatchObject({ outcome: 'accepted' });
    expect(second.rows[1]).toMatchObject({ outcome: 'refused', code: 'BANK_REFUSED' });
    const app = async (id: string | null) =>
      (
        await t.api({ method: 'GET', url: `/api/v1/applications/${id}`, token: fz.tokens.centre })
      ).json<Record<string, unknown>>();
    const [a, b] = [
      await app(first.rows[0]!.applicationId),
      await app(second.rows[0]!.applicationId),
    ];
    const same = (x: Record<string, unknown>) => ({
      status: x.status,
      channel: x.channel,
      production: x.production,
      fee: x.fee,
      cardNo: typeof x.cardNo,
      checks: x.checks,
      due: (x.due as { limit?: unknown } | null)?.limit ?? null,
    });
    expect(same(a)).toEqual(same(b));
    // The refused row left no person-less application, no card and no serial behind.
    const left = await t.platform.deps.db
      .selectFrom('applications')
      .select('id')
      .where('person_id', '=', refused.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('re-importing the same file answers with the first roster and creates nothing', async () => {
    const again = await upload(
      ['姓名,身份证号,手机', `${people[0]!.name},${people[0]!.idNumber},13800138001`].join('\r\n'),
      { unit: '重复单位' },
    );
    expect(again.statusCode).toBe(201);
    const first = again.json<{ id: string }>().id;
    await t.platform.services.queue.drain();
    const twice = await upload(
      ['姓名,身份证号,手机', `${people[0]!.name},${people[0]!.idNumber},13800138001`].join('\r\n'),
      { unit: '重复单位' },
    );
    expect(twice.json<{ id: string }>().id).toBe(first);
    await t.platform.services.queue.drain();
    const rows = await t.api({
      method: 'GET',
      url: `/api/v1/rosters/${first}/rows`,
      token: fz.tokens.centre,
    });
    expect(rows.json<{ total: number }>().total).toBe(1);
  });

  it('the report (.xlsx and .csv) lists the refused rows with their reasons', async () => {
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/rosters/${rosterId}/report.xlsx`,
      token: fz.tokens.centre,
      lang: 'en',
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = [...readXlsx(new Uint8Array(res.rawPayload))];
    expect(rows[0]!.cells.slice(0, 3)).toEqual(['姓名', '公民身份号码', '手机号码']);
    const dup = rows.find((r) => r.cells[3] === '4');
    expect(dup?.cells[5]).toContain('row 2');
    expect(rows.some((r) => r.cells[3] === '2')).toBe(false); // accepted rows are not in it
    const csv = await t.api({
      method: 'GET',
      url: `/api/v1/rosters/${rosterId}/report.csv?rows=all`,
      token: fz.tokens.centre,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('文件内重复'.slice(0, 0) || '已在第 2 行出现');
  });

  it('lists the rosters a page at a time, with how many there are in all', async () => {
    const list = (q: string) =>
      t.api({ method: 'GET', url: `/api/v1/rosters?${q}`, token: fz.tokens.centre });
    const first = (await list('limit=1&offset=0')).json();
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThan(1);
    const second = (await list('limit=1&offset=1')).json();
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect(second.total).toBe(first.total);
  });

  it('the template has the three columns, ID and phone as text', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/rosters/template.xlsx',
      token: fz.tokens.centre,
    });
    expect(res.statusCode).toBe(200);
    const rows = [...readXlsx(new Uint8Array(res.rawPayload))];
    expect(rows[0]!.cells).toEqual(['姓名', '公民身份号码', '手机号码']);
  });

  it('a numeric ID cell in .xlsx is refused with a clear reason; text cells are read', async () => {
    const file = await writeXlsx([
      {
        name: 'S',
        columns: [{ header: '姓名' }, { header: '证件号码' }, { header: '手机号码', text: true }],
        rows: [
          [people[1]!.name, Number(people[1]!.idNumber.slice(0, 15)), '13800138002'],
          [people[1]!.name, people[1]!.idNumber, '13800138002'],
        ],
      },
    ]);
    const { rows } = await imported(file, { type: XLSX, unit: 'xlsx单位' });
    expect(rows[0]).toMatchObject({ rowNo: 2, outcome: 'refused', code: 'ROSTER_ID_NUMERIC_CELL' });
    expect(rows[0]!.reason).toMatch(/15 significant digits/);
    expect(rows[1]).toMatchObject({ rowNo: 3, outcome: 'accepted' });
  });

  it('refuses a file without the columns, a zip bomb and too many rows, before anything is stored', async () => {
    const noColumns = await upload('a,b,c\n1,2,3\n');
    expect(noColumns.statusCode).toBe(422);
    expect(noColumns.json().code).toBe('ROSTER_COLUMNS_MISSING');

    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${' '.repeat(20_000_000)}</sheetData></worksheet>`;
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': strToU8(sheet) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const refused = await upload(bomb, { type: XLSX });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('ROSTER_FILE_UNREADABLE');
    expect(refused.json().detail).toMatch(/zip bomb|unzips/);

    process.env.SSCARD_IMPORT_MAX_ROWS = '3';
    try {
      const many = ['姓名,身份证号,手机', ...Array.from({ length: 5 }, (_, i) => `人${i},x${i},1`)];
      const capped = await upload(many.join('\n'), { unit: '很多人' });
      expect(capped.statusCode).toBe(422);
      expect(capped.json().detail).toMatch(/more than 3 rows/);
    } finally {
      delete process.env.SSCARD_IMPORT_MAX_ROWS;
    }
  });

  it('an import stopped between chunks resumes after its cursor, with no row twice', async () => {
    const svc = t.platform.services.rosters;
    const extra = [];
    for (let i = 0; i < 2; i++) {
      const name = `续传${'甲乙'[i]}`;
      extra.push({
        name,
        ...(await registerPerson(t, fz.tokens.centre, { county: '350102', name })),
      });
    }
    const lines = [
      '姓名,身份证号,手机',
      ...extra.map((p) => `${p.name},${p.idNumber},13800138000`),
      '坏,1,1',
    ];
    const res = await t.api({
      method: 'POST',
      url: `/api/v1/rosters?${new URLSearchParams({ bankId: fz.bankA, branchId: fz.branchA, unitName: '续传单位' })}`,
      token: fz.tokens.centre,
      headers: { 'content-type': CSV },
      payload: Buffer.from(strToU8(lines.join('\n'))),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    const before = svc.chunkRows;
    svc.chunkRows = 1;
    const stop = new AbortController();
    try {
      // "Crash" after the first chunk committed: the next chunk never starts.
      await expect(
        svc.run(id, { progress: async () => stop.abort(), signal: stop.signal }),
      ).rejects.toThrow();
      const half = await t.platform.deps.repos.rosters.find(id);
      expect(half).toMatchObject({ cursor_row: 2, accepted: 1, status: 'running' });
      const done = await svc.run(id);
      expect(done).toMatchObject({ accepted: 2, refused: 1, total: 3 });
      expect(await svc.countRows(id)).toBe(3);
      // The job that was enqueued finds it done and changes nothing.
      await t.platform.services.queue.drain();
      expect(await svc.countRows(id)).toBe(3);
    } finally {
      svc.chunkRows = before;
    }
  });

  it('a pack that names no unit batches refuses the roster with its article (SH-9)', async () => {
    const res = await upload('姓名,身份证号,手机\n张三,x,13800138000\n', { world: sh });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'CHANNEL_NOT_OFFERED' });
    expect(JSON.stringify(res.json())).toContain('SH-9');
  });

  it('only staff with the unit-batch permission, of the jurisdiction or the chosen bank', async () => {
    const branch = await upload('姓名,身份证号,手机\n', { token: fz.tokens.branchA });
    expect(branch.statusCode).toBe(403);
    const otherBank = await upload('姓名,身份证号,手机\n张三,x,13800138000\n', {
      token: fz.tokens.bankB,
      unit: '别的银行',
    });
    expect([403, 404]).toContain(otherBank.statusCode);
    const own = await upload('姓名,身份证号,手机\n张三,x,13800138000\n', {
      token: fz.tokens.bankA,
      unit: '本行单位',
    });
    expect(own.statusCode, own.body).toBe(201);
    const read = await t.api({
      method: 'GET',
      url: `/api/v1/rosters/${own.json<{ id: string }>().id}`,
      token: fz.tokens.bankB,
    });
    expect([403, 404]).toContain(read.statusCode);
    await t.platform.services.queue.drain();
  });
});
