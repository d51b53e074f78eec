/**
 * Devices (ZS-18, FZ-12, SG-26; issue 14 item 5): a card printer registered at a branch with its
 * brand, model and serial number; a change of serial filed after FZ-12's seven working days is
 * flagged late with the article, and the list shows each branch's devices with their status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t, 'FZ', '350100');
}, 300_000);
afterAll(() => t.close());

describe('devices (FZ-12)', () => {
  it('registers a card printer with its serial number, and flags a change filed late', async () => {
    const reg = await t.api({
      method: 'POST',
      url: '/api/v1/terminals',
      token: w.tokens.bankA,
      payload: {
        organizationId: w.branchA,
        kind: 'card_printer',
        label: '小型制卡机1',
        brand: '证通',
        model: 'E8',
        serialNumber: 'SN-2026-0001',
      },
    });
    expect(reg.statusCode).toBe(201);
    const id = reg.json().terminal.id as string;
    expect(reg.json().terminal).toMatchObject({
      kind: 'card_printer',
      brand: '证通',
      model: 'E8',
      serialNumber: 'SN-2026-0001',
      status: 'active',
      filedLate: false,
      filingRule: 'FZ-12',
    });
    // Changed on Monday 20 April 2026, filed on Wednesday 6 May: past 7 working days (29 April).
    const late = await t.api({
      method: 'POST',
      url: `/api/v1/terminals/${id}/change`,
      token: w.tokens.bankA,
      payload: { serialNumber: 'SN-2026-0002', changedOn: '2026-04-20' },
    });
    expect(late.json()).toMatchObject({
      serialNumber: 'SN-2026-0002',
      filedLate: true,
      filingDueOn: '2026-04-29',
    });
    const bad = await t.api({
      method: 'POST',
      url: `/api/v1/terminals/${id}/change`,
      token: w.tokens.bankA,
      payload: { serialNumber: 'SN 0003 <x>' },
    });
    expect(bad.statusCode).toBe(422);
    const list = await t.api({
      method: 'GET',
      url: `/api/v1/terminals?organizationId=${w.branchA}&status=active`,
      token: w.tokens.centre,
    });
    expect(list.json().items.map((x: { serialNumber: string }) => x.serialNumber)).toEqual([
      'SN-2026-0002',
    ]);
    const other = await t.api({
      method: 'GET',
      url: `/api/v1/terminals/${id}`,
      token: w.tokens.bankB,
    });
    expect(other.statusCode).toBe(404);
  });
});
