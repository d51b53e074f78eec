/**
 * Vendor production batches and bank account opening by file, over HTTP (issue 14 items 2 and
 * 3; FZ-18, FZ-20, FZ-22, ZS-17(二)): good and failed rows, a second import, a file for another
 * batch, a broken checksum, a failed card back for re-production (FZ) or undeliverable (ZS, also
 * when the node fails between the import and that act), a bank's refused rows kept out of
 * production, and what the vendor operator sees.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { formatVendorReturn, parsePersonalisation } from '../../adapters/vendor/vendor-files.js';
import { formatBankReturn, parseBankRequest } from '../../adapters/bank/bank-files.js';

let t: TestPlatform;
let fz: World;
let zs: World;

beforeAll(async () => {
  t = await createTestPlatform();
  fz = await buildWorld(t, 'FZ', '350100');
  zs = await buildWorld(t, 'ZS', '330900');
}, 240_000);
afterAll(() => t.close());

const post = (url: string, token: string, payload: unknown = {}) =>
  t.api({ method: 'POST', url, token, payload: payload as Record<string, unknown> });
const get = (url: string, token: string) => t.api({ method: 'GET', url, token });
const upload = (url: string, token: string, text: string) =>
  t.api({
    method: 'POST',
    url,
    token,
    payload: text,
    headers: { 'content-type': 'text/plain', 'x-filename': 'return.txt' },
  });

/** A batch application passed by every agency: its card is in production. */
async function approved(w: World, branch: 'branchA' | 'branchB', name: string) {
  const county = w.jurisdiction === '350100' ? '350102' : '330902';
  const person = await registerPerson(t, w.tokens[branch], { county, name });
  const res = await post('/api/v1/applications', w.tokens[branch], {
    personId: person.id,
    kind: 'first',
    production: 'batch',
    consentToDelay: true,
  });
  expect(res.statusCode, res.body).toBe(201);
  let a = res.json();
  for (const c of a.checks.filter((x: { result: string }) => x.result === 'pending'))
    a = (
      await post(`/api/v1/applications/${a.id}/checks`, w.tokens.centre, {
        agency: c.agency,
        result: 'pass',
      })
    ).json();
  expect(a.status).toBe('in_production');
  return {
    personId: person.id,
    idNumber: person.idNumber,
    appId: a.id as string,
    cardNo: a.cardNo as string,
  };
}

async function returned(url: string, token: string, text: string) {
  const res = await upload(url, token, text);
  expect(res.statusCode, res.body).toBe(202);
  const body = res.json();
  expect(body.jobId).toEqual(expect.any(String));
  await t.platform.services.queue.drain();
  const job = await get(`/api/v1/queue/jobs/${body.jobId}`, token);
  expect(job.json().status, job.body).toBe('succeeded');
  return body;
}

describe('vendor production batches (FZ-20, FZ-22)', () => {
  let batchId: string;
  let apps: Awaited<ReturnType<typeof approved>>[];
  let returnFile: string;

  it('groups approved applications of a bank for a vendor, the oldest first', async () => {
    apps = [
      await approved(fz, 'branchA', '张三丰'),
      await approved(fz, 'branchA', '李四光'),
      await approved(fz, 'branchA', '王五岳'),
    ];
    const res = await post('/api/v1/production/batches', fz.tokens.bankA, {
      bankId: fz.bankA,
      vendorId: fz.vendorId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    batchId = b.id;
    expect(b).toMatchObject({ status: 'open', cardCount: 3, vendor: { id: fz.vendorId } });
    // The cards are taken: a second batch finds none.
    const again = await post('/api/v1/production/batches', fz.tokens.bankA, {
      bankId: fz.bankA,
      vendorId: fz.vendorId,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('BATCH_EMPTY');
  });

  it('refuses a vendor that is not one and a bank not in the actor’s business', async () => {
    const notVendor = await post('/api/v1/production/batches', fz.tokens.centre, {
      bankId: fz.bankA,
      vendorId: fz.branchA,
    });
    expect(notVendor.json().code).toBe('NOT_A_VENDOR');
    const otherBank = await post('/api/v1/production/batches', fz.tokens.bankB, {
      bankId: fz.bankA,
      vendorId: fz.vendorId,
    });
    expect(otherBank.statusCode).toBeGreaterThanOrEqual(403);
    expect(otherBank.statusCode).toBeLessThan(405);
    const byVendor = await post('/api/v1/production/batches', fz.tokens.vendor, {
      bankId: fz.bankA,
      vendorId: fz.vendorId,
    });
    expect(byVendor.statusCode).toBe(403);
  });

  it('shows the vendor operator its batch with masked names only: no ID number, no phone', async () => {
    const res = await get(`/api/v1/production/batches/${batchId}`, fz.tokens.vendor);
    expect(res.statusCode, res.body).toBe(200);
    const text = res.body;
    for (const a of apps) expect(text).not.toContain(a.idNumber);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('张三丰');
    expect(res.json().items.map((i: { holder: string }) => i.holder)).toEqual([
      '张**',
      '李**',
      '王**',
    ]);
    const list = await get('/api/v1/production/batches', fz.tokens.vendor);
    expect(list.json().items.map((b: { id: string }) => b.id)).toContain(batchId);
    // Another jurisdiction's vendor sees nothing of it.
    expect((await get(`/api/v1/production/batches/${batchId}`, zs.tokens.vendor)).statusCode).toBe(
      404,
    );
    expect((await get('/api/v1/production/batches', zs.tokens.vendor)).json().items).toEqual([]);
  });

  it('exports the personalisation file to the vendor: name, SSN, account, photo; never a phone', async () => {
    const res = await get(
      `/api/v1/production/batches/${batchId}/personalisation.txt`,
      fz.tokens.vendor,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const file = parsePersonalisation(res.body);
    expect(file.batchId).toBe(batchId);
    expect(file.rows.map((r) => r.cardNo)).toEqual(apps.map((a) => a.cardNo));
    expect(file.rows.map((r) => r.ssn)).toEqual(apps.map((a) => a.idNumber));
    expect(file.rows.every((r) => r.hasPhoto && /^\d{16,19}$/.test(r.bankAccountNo ?? ''))).toBe(
      true,
    );
    expect(res.body).not.toContain('13800138000');
    const b = (await get(`/api/v1/production/batches/${batchId}`, fz.tokens.bankA)).json();
    expect(b.status).toBe('exported');
    expect(b.exportSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the vendor may not import the return file: the bank does (FZ-20(三))', async () => {
    const sim = await post(
      `/api/v1/production/batches/${batchId}/simulated-return`,
      fz.tokens.bankA,
      {
        fail: [{ seq: 2, reason: '芯片写入失败' }],
      },
    );
    expect(sim.statusCode, sim.body).toBe(200);
    returnFile = sim.body;
    expect(
      (await upload(`/api/v1/production/batches/${batchId}/return`, fz.tokens.vendor, returnFile))
        .statusCode,
    ).toBe(403);
  });

  it('refuses a file whose checksum does not match', async () => {
    const broken = returnFile.replace('芯片写入失败', '芯片写入失效');
    const res = await upload(
      `/api/v1/production/batches/${batchId}/return`,
      fz.tokens.bankA,
      broken,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('RETURN_FILE_CHECKSUM');
  });

  it('stocks the made cards at their branch and sends the failed one back for a later batch', async () => {
    await returned(`/api/v1/production/batches/${batchId}/return`, fz.tokens.bankA, returnFile);
    const b = (await get(`/api/v1/production/batches/${batchId}`, fz.tokens.bankA)).json();
    expect(b).toMatchObject({ status: 'returned', succeeded: 2, failed: 1 });
    expect(b.items[1]).toMatchObject({
      result: 'failed',
      failureReason: '芯片写入失败',
      failureAction: 'reproduce',
    });
    const stocked = (await get(`/api/v1/applications/${apps[0]!.appId}`, fz.tokens.branchA)).json();
    expect(stocked.status).toBe('in_stock');
    const card = (await get(`/api/v1/cards/${apps[0]!.cardNo}`, fz.tokens.branchA)).json();
    expect(card.status).toBe('in_stock');
    const failed = (await get(`/api/v1/applications/${apps[1]!.appId}`, fz.tokens.branchA)).json();
    expect(failed.status).toBe('in_production');
    // The failed card goes into the next batch, alone.
    const next = await post('/api/v1/production/batches', fz.tokens.bankA, {
      bankId: fz.bankA,
      vendorId: fz.vendorId,
    });
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json().cardCount).toBe(1);
    const items = (
      await get(`/api/v1/production/batches/${next.json().id}`, fz.tokens.bankA)
    ).json().items;
    expect(items[0].cardNo).toBe(apps[1]!.cardNo);
  });

  it('refuses the same file twice, and a second file for a returned batch', async () => {
    const again = await upload(
      `/api/v1/production/batches/${batchId}/return`,
      fz.tokens.bankA,
      returnFile,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RETURN_FILE_DUPLICATE');
    const other = formatVendorReturn(
      { batchId, vendorCode: 'FZ-VENDOR', createdAt: new Date() },
      [],
    );
    const res = await upload(
      `/api/v1/production/batches/${batchId}/return`,
      fz.tokens.bankA,
      other,
    );
    expect(res.json().code).toBe('RETURN_FILE_DUPLICATE');
  });

  it('refuses a file for another batch, and one before the batch was exported', async () => {
    const list = (await get('/api/v1/production/batches?status=open', fz.tokens.bankA)).json();
    const open = list.items[0].id as string;
    const early = formatVendorReturn(
      { batchId: open, vendorCode: 'FZ-VENDOR', createdAt: new Date() },
      [],
    );
    const res = await upload(`/api/v1/production/batches/${open}/return`, fz.tokens.bankA, early);
    expect(res.json().code).toBe('BATCH_NOT_EXPORTED');
    const wrong = await upload(
      `/api/v1/production/batches/${open}/return`,
      fz.tokens.bankA,
      returnFile,
    );
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('RETURN_FILE_WRONG_BATCH');
  });

  it('refuses a file that leaves out a card of the batch', async () => {
    const list = (await get('/api/v1/production/batches?status=open', fz.tokens.bankA)).json();
    const open = list.items[0].id as string;
    await get(`/api/v1/production/batches/${open}/personalisation.txt`, fz.tokens.bankA);
    const empty = formatVendorReturn(
      { batchId: open, vendorCode: 'FZ-VENDOR', createdAt: new Date() },
      [],
    );
    const res = await upload(`/api/v1/production/batches/${open}/return`, fz.tokens.bankA, empty);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('RETURN_FILE_ROWS');
  });
});

describe('ZS-17(二): a card whose production failed is undeliverable', () => {
  it('cancels it at once, as the pack’s undeliverable action says', async () => {
    const a = await approved(zs, 'branchA', '赵六');
    const b = (
      await post('/api/v1/production/batches', zs.tokens.centre, {
        bankId: zs.bankA,
        vendorId: zs.vendorId,
      })
    ).json();
    const sim = await post(
      `/api/v1/production/batches/${b.id}/simulated-return`,
      zs.tokens.centre,
      {
        fail: [{ seq: 1, reason: '照片不合格' }],
      },
    );
    await returned(`/api/v1/production/batches/${b.id}/return`, zs.tokens.centre, sim.body);
    const detail = (await get(`/api/v1/production/batches/${b.id}`, zs.tokens.centre)).json();
    expect(detail.items[0]).toMatchObject({ result: 'failed', failureAction: 'undeliverable' });
    const card = (await get(`/api/v1/cards/${a.cardNo}`, zs.tokens.centre)).json();
    expect(card.status).toBe('cancelled');
    expect(card.undeliverable).toMatchObject({ reason: 'production_failure' });
  });

  it('a failure after the import commits, before the undeliverable act, is finished by the retry', async () => {
    // The import (one transaction) and the card's undeliverable act (its own, after it) are two
    // steps: a node dying between them leaves the file imported and the card not yet cancelled.
    // The job is run again (a retry, or another node after the lease): the import answers
    // "already imported", and the undeliverable act is done then, once.
    const a = await approved(zs, 'branchA', '钱七');
    const b = (
      await post('/api/v1/production/batches', zs.tokens.centre, {
        bankId: zs.bankA,
        vendorId: zs.vendorId,
      })
    ).json();
    const seq = (await get(`/api/v1/production/batches/${b.id}`, zs.tokens.centre))
      .json()
      .items.find((i: { cardNo: string }) => i.cardNo === a.cardNo).seq;
    const sim = await post(
      `/api/v1/production/batches/${b.id}/simulated-return`,
      zs.tokens.centre,
      {
        fail: [{ seq, reason: '芯片写入失败' }],
      },
    );
    const cards = t.platform.services.cards;
    const dies = vi
      .spyOn(cards, 'markUndeliverable')
      .mockRejectedValueOnce(new Error('the node died after the import committed'));
    try {
      const res = await upload(
        `/api/v1/production/batches/${b.id}/return`,
        zs.tokens.centre,
        sim.body,
      );
      expect(res.statusCode, res.body).toBe(202);
      const { jobId } = res.json();
      await t.platform.services.queue.drain();
      const failed = (await get(`/api/v1/queue/jobs/${jobId}`, zs.tokens.centre)).json();
      expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
      expect(failed.error).toContain('the node died');
      // The import committed; the card is not cancelled yet.
      const between = (await get(`/api/v1/production/batches/${b.id}`, zs.tokens.centre)).json();
      expect(between).toMatchObject({ status: 'returned', failed: 1 });
      expect((await get(`/api/v1/cards/${a.cardNo}`, zs.tokens.centre)).json().status).toBe(
        'in_production',
      );
      // The retry, once its backoff has passed.
      await t.setClock(new Date(t.platform.deps.clock.now().getTime() + 60_000));
      await t.platform.services.queue.drain();
      const job = (await get(`/api/v1/queue/jobs/${jobId}`, zs.tokens.centre)).json();
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2 });
      const card = (await get(`/api/v1/cards/${a.cardNo}`, zs.tokens.centre)).json();
      expect(card.status).toBe('cancelled');
      expect(card.undeliverable).toMatchObject({ reason: 'production_failure' });
      // Imported once: one import record, the batch counted once.
      const after = (await get(`/api/v1/production/batches/${b.id}`, zs.tokens.centre)).json();
      expect(after).toMatchObject({ status: 'returned', succeeded: 0, failed: 1 });
      const applied = await t.platform.deps.db
        .selectFrom('audit_log')
        .select(['details'])
        .where('action', '=', 'production.return_apply')
        .where('target_id', '=', b.id)
        .execute();
      expect(applied.filter((r) => !(r.details as { again?: boolean }).again)).toHaveLength(1);
    } finally {
      dies.mockRestore();
    }
  });
});

describe('bank account opening by file (FZ-18(四)(五))', () => {
  let fileId: string;
  let apps: Awaited<ReturnType<typeof approved>>[];
  let returnFile: string;

  it('only the centre records how a bank opens accounts', async () => {
    expect(
      (
        await post('/api/v1/bank-files/opening-mode', fz.tokens.bankB, {
          bankId: fz.bankB,
          mode: 'file',
        })
      ).statusCode,
    ).toBeGreaterThanOrEqual(403);
    const res = await post('/api/v1/bank-files/opening-mode', fz.tokens.centre, {
      bankId: fz.bankB,
      mode: 'file',
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('makes cards without an account, kept out of production until the bank opens it', async () => {
    apps = [await approved(fz, 'branchB', '钱七'), await approved(fz, 'branchB', '孙八')];
    const none = await post('/api/v1/production/batches', fz.tokens.bankB, {
      bankId: fz.bankB,
      vendorId: fz.vendorId,
    });
    expect(none.json().code).toBe('BATCH_EMPTY');
    const online = await post('/api/v1/bank-files', fz.tokens.centre, { bankId: fz.bankA });
    expect(online.json().code).toBe('NOT_A_FILE_BANK');
    const res = await post('/api/v1/bank-files', fz.tokens.bankB, { bankId: fz.bankB });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ rowCount: 2, status: 'open' });
    fileId = res.json().id;
    expect((await get(`/api/v1/bank-files/${fileId}`, fz.tokens.bankA)).statusCode).toBe(404);
    expect((await get(`/api/v1/bank-files/${fileId}`, fz.tokens.vendor)).statusCode).toBe(403);
  });

  it('exports the request file with the applicants’ ID numbers for the bank', async () => {
    const res = await get(`/api/v1/bank-files/${fileId}/request.txt`, fz.tokens.bankB);
    expect(res.statusCode, res.body).toBe(200);
    const req = parseBankRequest(res.body);
    expect(req.rows.map((r) => r.idNumber)).toEqual(apps.map((a) => a.idNumber));
    expect(res.body).not.toContain('13800138000');
  });

  it('imports the return file: opened accounts recorded, refused rows with the bank’s reason', async () => {
    const sim = await post(`/api/v1/bank-files/${fileId}/simulated-return`, fz.tokens.bankB, {
      refuse: [{ seq: 1, reason: '身份信息核验不通过' }],
    });
    expect(sim.statusCode, sim.body).toBe(200);
    returnFile = sim.body;
    await returned(`/api/v1/bank-files/${fileId}/return`, fz.tokens.bankB, returnFile);
    const d = (await get(`/api/v1/bank-files/${fileId}`, fz.tokens.bankB)).json();
    expect(d).toMatchObject({ status: 'returned', succeeded: 1, failed: 1 });
    expect(d.rows[0]).toMatchObject({ result: 'refused', refusalReason: '身份信息核验不通过' });
    expect(d.rows[1]).toMatchObject({ result: 'opened', refusalReason: null });
    expect(JSON.stringify(d)).not.toContain(apps[0]!.idNumber);
    // The opened one goes to production; the refused one does not.
    const batch = await post('/api/v1/production/batches', fz.tokens.bankB, {
      bankId: fz.bankB,
      vendorId: fz.vendorId,
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const items = (
      await get(`/api/v1/production/batches/${batch.json().id}`, fz.tokens.bankB)
    ).json().items;
    expect(items.map((i: { cardNo: string }) => i.cardNo)).toEqual([apps[1]!.cardNo]);
    // The refused card waits for a later request.
    const later = await post('/api/v1/bank-files', fz.tokens.bankB, { bankId: fz.bankB });
    expect(later.json().rowCount).toBe(1);
  });

  it('refuses the same return file twice and a broken one', async () => {
    const again = await upload(`/api/v1/bank-files/${fileId}/return`, fz.tokens.bankB, returnFile);
    expect(again.json().code).toBe('RETURN_FILE_DUPLICATE');
    const broken = await upload(
      `/api/v1/bank-files/${fileId}/return`,
      fz.tokens.bankB,
      returnFile.replace('身份信息核验不通过', '身份信息核验未通过'),
    );
    expect(broken.json().code).toBe('RETURN_FILE_CHECKSUM');
    const junk = await upload(`/api/v1/bank-files/${fileId}/return`, fz.tokens.bankB, 'hello\n');
    expect(junk.json().code).toBe('RETURN_FILE_INVALID');
  });

  it('refuses a return file for another request, before export, or leaving out a row', async () => {
    const later = (await get('/api/v1/bank-files', fz.tokens.bankB))
      .json()
      .items.find((f: { status: string }) => f.status === 'open');
    const url = `/api/v1/bank-files/${later.id}/return`;
    const wrong = await upload(url, fz.tokens.bankB, returnFile);
    expect(wrong.json().code).toBe('RETURN_FILE_WRONG_BATCH');
    const empty = formatBankReturn(
      { batchId: later.id, bankCode: 'FZ-B', createdAt: new Date() },
      [],
    );
    expect((await upload(url, fz.tokens.bankB, empty)).json().code).toBe('BATCH_NOT_EXPORTED');
    await get(`/api/v1/bank-files/${later.id}/request.txt`, fz.tokens.bankB);
    const res = await upload(url, fz.tokens.bankB, empty);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'RETURN_FILE_ROWS' });
    expect(res.json().detail).toContain('缺少 1 行的开户结果');
  });
});
