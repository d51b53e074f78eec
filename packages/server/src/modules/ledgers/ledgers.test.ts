/**
 * Ledgers against a hand-checked fixture (FZ-27, ZS-17, FZ-36): three cards made at known
 * instants, one handed over, one made undeliverable and destroyed, a waste card recorded by
 * number. Each expected row below is written out by hand from those instants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { STAFF_PASSWORD, buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { readXlsx } from '../../files/xlsx-read.js';

let t: TestPlatform;
let w: World;

/** Shanghai wall-clock instant. */
const sh = (s: string) => new Date(`${s}:00+08:00`);
const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });
const get = (url: string, token: string) => t.api({ method: 'GET', url, token });

interface Made {
  cardNo: string;
  name: string;
  ssn: string;
}
const cards: Record<'A' | 'B' | 'C', Made> = {} as never;

async function makeCard(branch: 'branchA' | 'branchB', name: string): Promise<Made> {
  const person = await registerPerson(t, w.tokens[branch], { county: '350102', name });
  const app = await post('/api/v1/applications', w.tokens[branch], {
    personId: person.id,
    kind: 'first',
    production: 'instant',
  });
  const made = await post(`/api/v1/applications/${app.json().id}/produce`, w.tokens[branch]);
  expect(made.statusCode).toBe(200);
  const p = await t.platform.deps.repos.persons.findById(person.id);
  return { cardNo: made.json().cardNo as string, name, ssn: p!.ssn };
}

const ACCOUNTS = {
  centre: 'fz.centre',
  auditor: 'fz.auditor',
  bankA: 'fz.banka',
  branchA: 'fz.brancha',
  bankB: 'fz.bankb',
  branchB: 'fz.branchb',
  vendor: 'fz.vendor',
} as const;
/** Moves the clock and signs the accounts in again (sessions lapse over days). */
async function at(instant: string) {
  await t.setClock(sh(instant));
  for (const [k, u] of Object.entries(ACCOUNTS))
    w.tokens[k as keyof typeof ACCOUNTS] = await t.login(u, STAFF_PASSWORD);
}

beforeAll(async () => {
  t = await createTestPlatform();
  await t.setClock(sh('2026-05-06T08:00'));
  w = await buildWorld(t, 'FZ', '350100');
  await at('2026-05-06T09:00');
  cards.A = await makeCard('branchA', '张三');
  await at('2026-05-06T10:00');
  cards.B = await makeCard('branchA', '李四');
  await at('2026-05-07T09:00');
  const issued = await post(`/api/v1/cards/${cards.A.cardNo}/issue`, w.tokens.branchA, {
    to: 'holder',
  });
  expect(issued.statusCode).toBe(200);
  await at('2026-05-07T10:00');
  cards.C = await makeCard('branchB', '王五');
  await at('2026-05-08T09:00');
  const u = await post(`/api/v1/cards/${cards.B.cardNo}/undeliverable`, w.tokens.branchA, {
    reason: 'job_transfer',
  });
  expect(u.statusCode).toBe(200);
  await at('2026-05-08T11:00');
}, 300_000);
afterAll(() => t.close());

describe('daily branch ledger (FZ-27)', () => {
  it('lists the cards in the branch’s stock at the end of each day, with FZ-27’s fields', async () => {
    const day1 = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06`,
      w.tokens.branchA,
    );
    expect(day1.statusCode).toBe(200);
    const l = day1.json();
    expect(l.columns.map((c: { zh: string }) => c.zh)).toEqual([
      '姓名',
      '社会保障号码',
      '社保卡号',
      '银行账号',
      '制卡时间',
      '计划移交时间',
    ]);
    expect(l.masked).toBe(false);
    // Both made at the counter that day; FZ-21's 20 minutes put the handover the same day.
    expect(l.rows.map((r: unknown[]) => [r[0], r[1], r[2], r[4], r[5]])).toEqual([
      ['张三', cards.A.ssn, cards.A.cardNo, '2026-05-06 09:00', '2026-05-06'],
      ['李四', cards.B.ssn, cards.B.cardNo, '2026-05-06 10:00', '2026-05-06'],
    ]);
    // A was handed over on the 7th; B, cancelled as undeliverable, stays a waste card until destroyed.
    const day2 = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-07`,
      w.tokens.branchA,
    );
    expect(day2.json().rows.map((r: unknown[]) => r[2])).toEqual([cards.B.cardNo]);
    const day3 = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-08`,
      w.tokens.branchA,
    );
    expect(day3.json().rows.map((r: unknown[]) => r[2])).toEqual([cards.B.cardNo]);
    // A day not yet come, and a bank instead of a branch, are refused.
    const future = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-09`,
      w.tokens.branchA,
    );
    expect(future.json().code).toBe('LEDGER_PERIOD_INVALID');
    const bank = await get(
      `/api/v1/ledgers/daily?branch=${w.bankA}&date=2026-05-06`,
      w.tokens.bankA,
    );
    expect(bank.json().code).toBe('LEDGER_ORGANIZATION_KIND');
  });

  it('downloads as .xlsx with text cells for numbers Excel would round, and as .csv', async () => {
    const x = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06&format=xlsx`,
      w.tokens.branchA,
    );
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const rows = [...readXlsx(new Uint8Array(x.rawPayload))];
    expect(rows[0]!.cells).toEqual([
      '姓名',
      '社会保障号码',
      '社保卡号',
      '银行账号',
      '制卡时间',
      '计划移交时间',
    ]);
    expect(rows[1]!.cells[0]).toBe('张三');
    expect(rows[1]!.cells[1]).toBe(cards.A.ssn);
    expect(rows[1]!.numeric ?? []).not.toContain(1);
    expect(rows[2]!.cells[2]).toBe(cards.B.cardNo);
    expect(rows).toHaveLength(3);
    const c = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-07&format=csv`,
      w.tokens.branchA,
    );
    expect(c.headers['content-type']).toContain('text/csv');
    const lines = c.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('姓名,社会保障号码,社保卡号,银行账号,制卡时间,计划移交时间');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith(`李四,${cards.B.ssn},${cards.B.cardNo},`)).toBe(true);
  });

  it('is read by relationship, audited, and masked for a role without full access', async () => {
    const other = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06`,
      w.tokens.branchB,
    );
    expect(other.statusCode).toBe(404);
    const bankB = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06`,
      w.tokens.bankB,
    );
    expect(bankB.statusCode).toBe(404);
    const auditor = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06`,
      w.tokens.auditor,
    );
    expect(auditor.statusCode).toBe(200);
    expect(auditor.json().masked).toBe(true);
    expect(auditor.json().rows[0][0]).toBe('张*');
    expect(auditor.json().rows[0][1]).not.toBe(cards.A.ssn);
    const vendor = await get(
      `/api/v1/ledgers/daily?branch=${w.branchA}&date=2026-05-06`,
      w.tokens.vendor,
    );
    expect(vendor.statusCode).toBe(403);
    const audited = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', '=', 'ledger.branch_daily.read')
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(4);
  });
});

describe('monthly bank ledger (FZ-27)', () => {
  it('lists every card the bank held in the month, with outlet and stocking, and its due day', async () => {
    const res = await get(`/api/v1/ledgers/monthly?bank=${w.bankA}&month=2026-05`, w.tokens.bankA);
    expect(res.statusCode).toBe(200);
    const l = res.json();
    expect(l.columns.map((c: { zh: string }) => c.zh)).toEqual([
      '网点名称',
      '姓名',
      '社会保障号码',
      '社保卡号',
      '银行账号',
      '制卡时间',
      '是否入库管理',
      '入库时间',
    ]);
    // 31 May 2026 is a Sunday, 30 May a Saturday: the working day before month end is Friday the 29th.
    expect(l.dueOn).toBe('2026-05-29');
    expect(l.rows.map((r: unknown[]) => [r[0], r[1], r[3], r[5], r[6], r[7]])).toEqual([
      ['FZ BANKA-1 测试机构', '张三', cards.A.cardNo, '2026-05-06 09:00', '是', '2026-05-06 09:00'],
      ['FZ BANKA-1 测试机构', '李四', cards.B.cardNo, '2026-05-06 10:00', '是', '2026-05-06 10:00'],
    ]);
    const b = await get(`/api/v1/ledgers/monthly?bank=${w.bankB}&month=2026-05`, w.tokens.bankB);
    expect(b.json().rows.map((r: unknown[]) => r[3])).toEqual([cards.C.cardNo]);
    const april = await get(
      `/api/v1/ledgers/monthly?bank=${w.bankA}&month=2026-04`,
      w.tokens.bankA,
    );
    expect(april.json().rows).toEqual([]);
    expect(
      (await get(`/api/v1/ledgers/monthly?bank=${w.bankA}&month=2026-05`, w.tokens.bankB))
        .statusCode,
    ).toBe(404);
  });

  it('records a filing with its checksum, on time before the due day and late after it (alerted)', async () => {
    const onTime = await post('/api/v1/ledgers/filings', w.tokens.bankA, {
      kind: 'bank_monthly',
      organizationId: w.bankA,
      period: '2026-05',
    });
    expect(onTime.statusCode).toBe(201);
    expect(onTime.json()).toMatchObject({
      late: false,
      dueOn: '2026-05-29',
      rowCount: 2,
      filedBy: 'fz.banka',
    });
    expect(onTime.json().sha256).toMatch(/^[0-9a-f]{64}$/);

    let status = (
      await get('/api/v1/ledgers/monthly/status?month=2026-05', w.tokens.centre)
    ).json();
    expect(status.dueOn).toBe('2026-05-29');
    expect(
      status.banks.map(
        (b: { bankName: string; late: boolean; overdue: boolean; filing: unknown }) => [
          b.bankName,
          b.filing !== null,
          b.late,
          b.overdue,
        ],
      ),
    ).toEqual([
      ['FZ BANKA 测试机构', true, false, false],
      ['FZ BANKB 测试机构', false, false, false],
    ]);

    await at('2026-06-01T09:00');
    status = (await get('/api/v1/ledgers/monthly/status?month=2026-05', w.tokens.centre)).json();
    expect(status.banks[1]).toMatchObject({
      bankName: 'FZ BANKB 测试机构',
      overdue: true,
      filing: null,
    });
    const late = await post('/api/v1/ledgers/filings', w.tokens.bankB, {
      kind: 'bank_monthly',
      organizationId: w.bankB,
      period: '2026-05',
    });
    expect(late.json()).toMatchObject({ late: true, rowCount: 1 });
    const alerts = await t.platform.deps.db
      .selectFrom('alerts')
      .select(['kind', 'details'])
      .where('kind', '=', 'ledger.filed_late')
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({
      organizationId: w.bankB,
      period: '2026-05',
      dueOn: '2026-05-29',
      rule: 'FZ-27',
    });
    // Another bank's ledger is not found; a branch files no monthly ledger.
    const foreign = await post('/api/v1/ledgers/filings', w.tokens.bankA, {
      kind: 'bank_monthly',
      organizationId: w.bankB,
      period: '2026-05',
    });
    expect(foreign.statusCode).toBe(404);
    await at('2026-05-08T11:00');
  });
});

describe('inventory ledger (ZS-17) and destruction register (FZ-36)', () => {
  it('refuses to destroy a card in stock, then records a destruction with a waste card by number', async () => {
    const inStock = await post('/api/v1/destructions', w.tokens.branchB, {
      organizationId: w.branchB,
      category: 'waste',
      cardNos: [cards.C.cardNo],
      witness: '赵监销',
    });
    expect(inStock.json().code).toBe('DESTROY_NOT_ALLOWED');
    const foreign = await post('/api/v1/destructions', w.tokens.branchA, {
      organizationId: w.branchA,
      category: 'waste',
      cardNos: [cards.C.cardNo],
      witness: '赵监销',
    });
    expect(foreign.statusCode).toBe(404);

    const res = await post('/api/v1/destructions', w.tokens.branchA, {
      organizationId: w.branchA,
      category: 'waste',
      cardNos: [cards.B.cardNo, 'W2026050001'],
      batch: '2026-05-B01',
      witness: '赵监销',
      note: '卡商废卡一张',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      category: 'waste',
      batch: '2026-05-B01',
      witness: '赵监销',
      recordedBy: 'fz.brancha',
      destroyedAt: '2026-05-08T11:00:00.000+08:00',
      cards: [
        { cardNo: cards.B.cardNo, known: true },
        { cardNo: 'W2026050001', known: false },
      ].sort((a, b) => (a.cardNo < b.cardNo ? -1 : 1)),
    });
    const card = await get(`/api/v1/cards/${cards.B.cardNo}`, w.tokens.branchA);
    expect(card.json().status).toBe('destroyed');
    const twice = await post('/api/v1/destructions', w.tokens.branchA, {
      organizationId: w.branchA,
      category: 'waste',
      cardNos: ['W2026050001'],
      witness: '赵监销',
    });
    expect(twice.json().code).toBe('DESTRUCTION_CARD_RECORDED');
    const audit = await t.platform.deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'destruction.record')
      .where('outcome', '=', 'success')
      .execute();
    expect(audit).toHaveLength(1);

    const register = await get('/api/v1/destructions?format=csv', w.tokens.branchA);
    const lines = register.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('销毁时间,销毁机构,类别,批次,社保卡号,登记人,监销人,备注');
    expect(lines.slice(1).sort()).toEqual(
      [
        `2026-05-08 11:00,FZ BANKA-1 测试机构,废卡,2026-05-B01,${cards.B.cardNo},fz.brancha,赵监销,卡商废卡一张`,
        `2026-05-08 11:00,FZ BANKA-1 测试机构,废卡,2026-05-B01,W2026050001,fz.brancha,赵监销,卡商废卡一张`,
      ].sort(),
    );
    expect((await get('/api/v1/destructions', w.tokens.branchB)).json().items).toEqual([]);
  });

  it('counts stock in and out per branch, by hand', async () => {
    const all = await get(
      `/api/v1/ledgers/inventory?organization=${w.branchA}&from=2026-05-06&to=2026-05-08`,
      w.tokens.branchA,
    );
    expect(all.statusCode).toBe(200);
    expect(all.json().summary).toEqual([
      {
        branchId: w.branchA,
        branchName: 'FZ BANKA-1 测试机构',
        opening: 0,
        in: 2,
        out: 2,
        closing: 0,
      },
    ]);
    expect(
      all
        .json()
        .movements.map((m: Record<string, string>) => [m.at, m.cardNo, m.direction, m.reason]),
    ).toEqual([
      ['2026-05-06 09:00', cards.A.cardNo, 'in', 'stocked'],
      ['2026-05-06 10:00', cards.B.cardNo, 'in', 'stocked'],
      ['2026-05-07 09:00', cards.A.cardNo, 'out', 'issued'],
      ['2026-05-08 11:00', cards.B.cardNo, 'out', 'destroyed'],
    ]);
    // On the 7th alone: A and B were in stock at its start; A went out; B stayed.
    const day = await get(
      `/api/v1/ledgers/inventory?organization=${w.branchA}&from=2026-05-07&to=2026-05-07`,
      w.tokens.branchA,
    );
    expect(day.json().summary[0]).toMatchObject({ opening: 2, in: 0, out: 1, closing: 1 });
    // The centre sees every branch of its jurisdiction.
    const centre = await get(
      `/api/v1/ledgers/inventory?organization=${w.centreId}&from=2026-05-06&to=2026-05-08&format=xlsx`,
      w.tokens.centre,
    );
    const rows = [...readXlsx(new Uint8Array(centre.rawPayload))];
    expect(rows.map((r) => r.cells)).toEqual([
      ['网点名称', '期初库存', '入库', '出库', '期末库存'],
      ['FZ BANKA-1 测试机构', '0', '2', '2', '0'],
      ['FZ BANKB-1 测试机构', '0', '1', '0', '1'],
    ]);
  });
});
