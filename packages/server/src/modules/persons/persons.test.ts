import { mod11_2CheckChar } from '@sscard/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { fakeJpeg } from '@sscard/domain/testing';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const id18 = (body17: string) => body17 + mod11_2CheckChar(body17);
const register = (token: string, payload: Record<string, unknown>, lang?: string) =>
  t.api({ method: 'POST', url: '/api/v1/persons', token, payload, ...(lang ? { lang } : {}) });

describe('registering a person', () => {
  it('derives birth date and sex from the ID number and uses it as the SSN (HN-5)', async () => {
    const res = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: '11010519491231002X',
      name: '张三',
      phone: '13800138000',
    });
    expect(res.statusCode).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      masked: true,
      sex: 'female',
      birthDate: '1949-**-**',
      nationality: 'CHN',
      jurisdiction: '310000',
    });
    expect(p.idNumber).toBe('110***********002X');
    expect(p.ssn).toBe('110***********002X');
    expect(p.name).toBe('张*');
    expect(p.phone).toBe('138****8000');
  });

  it('normalises a lowercase x and upgrades a 15-digit legacy number', async () => {
    const lower = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: id18('31010119800101003').toLowerCase(),
      name: '李四',
    });
    expect(lower.statusCode).toBe(201);
    const legacy = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: '310101750203041',
      name: '王五',
    });
    expect(legacy.statusCode).toBe(201);
    const full = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${legacy.json().id}?view=full`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': encodeURIComponent('柜面核对') },
    });
    expect(full.json().idNumber).toBe(id18('31010119750203041'));
    expect(full.json().birthDate).toBe('1975-02-03');
  });

  it('refuses a bad check character with a clear code, in both languages', async () => {
    const zh = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: '110105194912310021',
      name: '张三',
    });
    expect(zh.statusCode).toBe(422);
    expect(zh.json().code).toBe('ID_NUMBER_CHECKSUM');
    const en = await register(
      w.tokens.branchA,
      { idType: 'resident_id', idNumber: '110105194912310021', name: '张三' },
      'en',
    );
    expect(en.json().code).toBe('ID_NUMBER_CHECKSUM');
    expect(en.json().title).not.toBe(zh.json().title);
    expect(en.body).not.toContain('110105194912310021');
  });

  it('assigns an SSN by the documented rule to a foreigner with a passport', async () => {
    const res = await register(w.tokens.branchA, {
      idType: 'passport',
      idNumber: 'E12345678',
      name: 'SMITH JOHN',
      nationality: 'USA',
      birthDate: '1985-07-04',
      sex: 'male',
    });
    expect(res.statusCode).toBe(201);
    const full = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${res.json().id}?view=full`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': 'check' },
    });
    expect(full.json().ssn).toMatch(/^900840198507040\d[13579][\dX]$/);
  });

  it('needs birth date, sex and nationality where the document does not carry them', async () => {
    const res = await register(w.tokens.branchA, {
      idType: 'passport',
      idNumber: 'E87654321',
      name: 'DOE JANE',
      nationality: 'GBR',
    });
    expect(res.json().code).toBe('PERSON_BIRTH_DATE_REQUIRED');
    const nat = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: id18('31010119900101004'),
      name: '赵六',
      nationality: 'USA',
    });
    expect(nat.json().code).toBe('NATIONALITY_MISMATCH');
  });

  it('yields one person and one conflict when the same person is registered twice, even at once', async () => {
    const idNumber = id18('31010119950505005');
    const [a, b] = await Promise.all([
      register(w.tokens.branchA, { idType: 'resident_id', idNumber, name: '孙七' }),
      register(w.tokens.branchB, { idType: 'resident_id', idNumber, name: '孙七' }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const conflict = [a, b].find((r) => r.statusCode === 409)!.json();
    const created = [a, b].find((r) => r.statusCode === 201)!.json();
    expect(conflict.code).toBe('PERSON_EXISTS');
    // The id of an existing person goes only to a counter that may already see them: the one
    // that registered them. The other finds them by the number (masked, audited).
    const loser = a.statusCode === 409 ? w.tokens.branchA : w.tokens.branchB;
    const winner = a.statusCode === 409 ? w.tokens.branchB : w.tokens.branchA;
    expect(conflict.personId).toBeUndefined();
    const mine = await register(winner, { idType: 'resident_id', idNumber, name: '孙七' });
    expect(mine.json()).toMatchObject({ code: 'PERSON_EXISTS', personId: created.id });
    const found = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: loser,
      payload: { idType: 'resident_id', idNumber },
    });
    expect(
      found.json().items.map((p: { id: string; masked: boolean }) => [p.id, p.masked]),
    ).toEqual([[created.id, true]]);
    // The same number under the household register is the same person (same SSN).
    const again = await register(w.tokens.branchA, {
      idType: 'household_register',
      idNumber,
      name: '孙七',
    });
    expect(again.json().code).toBe('PERSON_EXISTS');
  });
});

describe('data scopes', () => {
  let personId: string;
  beforeAll(async () => {
    const res = await register(w.tokens.branchA, {
      idType: 'resident_id',
      idNumber: id18('31010119880808006'),
      name: '周八',
    });
    personId = res.json().id;
  });

  it('lets the branch, its bank and the centre read the person', async () => {
    for (const token of [w.tokens.branchA, w.tokens.bankA, w.tokens.centre, w.tokens.auditor]) {
      expect(
        (await t.api({ method: 'GET', url: `/api/v1/persons/${personId}`, token })).statusCode,
      ).toBe(200);
    }
  });

  it('hides the person from another bank and its branch operator', async () => {
    for (const token of [w.tokens.branchB, w.tokens.bankB]) {
      const res = await t.api({ method: 'GET', url: `/api/v1/persons/${personId}`, token });
      expect(res.statusCode).toBe(404);
    }
    // By phone, only persons already in scope: bank B's branch finds nobody.
    const byPhone = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.branchB,
      payload: { phone: '13800138000' },
    });
    expect(byPhone.json().items.map((p: { id: string }) => p.id)).not.toContain(personId);
    // Bank B's administrator is no counter: a full number finds nobody for it either.
    const byBank = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.bankB,
      payload: { idType: 'resident_id', idNumber: id18('31010119880808006') },
    });
    expect(byBank.json().items).toEqual([]);
  });

  it('serves the holder in front of another bank’s counter: masked, never the full record', async () => {
    const search = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.branchB,
      payload: { idType: 'resident_id', idNumber: id18('31010119880808006') },
    });
    expect(search.json().items).toMatchObject([{ id: personId, masked: true }]);
    const masked = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}`,
      token: w.tokens.branchB,
    });
    expect(masked.statusCode).toBe(200);
    const full = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}?view=full`,
      token: w.tokens.branchB,
      headers: { 'x-sscard-reason': 'check' },
    });
    expect(full.statusCode).toBe(403);
    expect(full.json().code).toBe('NOT_RESPONSIBLE');
  });

  it('keeps vendors away from persons', async () => {
    expect(
      (await t.api({ method: 'GET', url: `/api/v1/persons/${personId}`, token: w.tokens.vendor }))
        .statusCode,
    ).toBe(403);
  });

  it('finds a person by document within scope, through a POST so the number stays out of URLs', async () => {
    const res = await t.api({
      method: 'POST',
      url: '/api/v1/persons/search',
      token: w.tokens.branchA,
      payload: { idType: 'resident_id', idNumber: id18('31010119880808006') },
    });
    expect(res.json().items.map((p: { id: string }) => p.id)).toEqual([personId]);
  });

  it('needs a reason for the full record, and audits the read', async () => {
    const noReason = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}?view=full`,
      token: w.tokens.branchA,
    });
    expect(noReason.json().code).toBe('REASON_REQUIRED');
    const auditorFull = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}?view=full`,
      token: w.tokens.auditor,
      headers: { 'x-sscard-reason': 'x' },
    });
    expect(auditorFull.statusCode).toBe(403);
    const ok = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}?view=full`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': encodeURIComponent('办理补卡核对身份') },
    });
    expect(ok.json()).toMatchObject({ masked: false, name: '周八', birthDate: '1988-08-08' });
    const audit = await t.api({
      method: 'GET',
      url: `/api/v1/audit?targetId=${personId}&action=person.read_full`,
      token: w.tokens.auditor,
    });
    expect(audit.json().items[0]).toMatchObject({
      actorUsername: 'sh.brancha',
      reason: '办理补卡核对身份',
      outcome: 'success',
    });
  });
});

describe('changing non-key information', () => {
  it('updates phone and address, bumps the version, and refuses a stale version', async () => {
    const created = (
      await register(w.tokens.branchA, {
        idType: 'resident_id',
        idNumber: id18('31010119770707007'),
        name: '吴九',
      })
    ).json();
    const res = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${created.id}`,
      token: w.tokens.branchA,
      payload: {
        version: 1,
        phone: '13900139000',
        residenceAddress: '上海市黄浦区人民大道200号',
        postcode: '200003',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 2,
      phone: '139****9000',
      residenceAddress: '上海市黄浦区****',
    });
    const stale = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${created.id}`,
      token: w.tokens.branchA,
      payload: { version: 1, phone: '13700137000' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('PERSON_CHANGED');
    const key = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${created.id}`,
      token: w.tokens.branchA,
      payload: { name: '吴十' },
    });
    expect(key.statusCode).toBe(422);
    const badPhone = await t.api({
      method: 'PATCH',
      url: `/api/v1/persons/${created.id}`,
      token: w.tokens.branchA,
      payload: { phone: '123' },
    });
    expect(badPhone.json().code).toBe('PHONE_INVALID');
  });

  it('records a death with its evidence', async () => {
    const created = (
      await register(w.tokens.branchA, {
        idType: 'resident_id',
        idNumber: id18('31010119300303008'),
        name: '郑十',
      })
    ).json();
    const res = await t.api({
      method: 'POST',
      url: `/api/v1/persons/${created.id}/death`,
      token: w.tokens.branchA,
      payload: { diedOn: '2026-05-01', evidence: '死亡医学证明 No. 1234' },
    });
    expect(res.json().diedOn).toBe('2026-05-01');
    const twice = await t.api({
      method: 'POST',
      url: `/api/v1/persons/${created.id}/death`,
      token: w.tokens.branchA,
      payload: { diedOn: '2026-05-01', evidence: '再次登记' },
    });
    expect(twice.json().code).toBe('PERSON_DECEASED');
  });
});

describe('photos', () => {
  it('stores a JPEG judged by its content and refuses other files', async () => {
    const created = (
      await register(w.tokens.branchA, {
        idType: 'resident_id',
        idNumber: id18('31010120100606009'),
        name: '钱一',
      })
    ).json();
    const put = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${created.id}/photo`,
      token: w.tokens.branchA,
      headers: { 'content-type': 'image/jpeg' },
      payload: fakeJpeg(358, 441, 4000),
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ contentType: 'image/jpeg', width: 358, height: 441 });
    const get = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${created.id}/photo`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': 'check' },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/jpeg');
    // What is served is the server's own re-encoding: a JPEG of the same picture, not the upload.
    expect(get.rawPayload.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
    expect(get.rawPayload.equals(fakeJpeg(358, 441, 4000))).toBe(false);
    const { default: sharp } = await import('sharp');
    expect(await sharp(get.rawPayload).metadata()).toMatchObject({ width: 358, height: 441 });

    const gif = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${created.id}/photo`,
      token: w.tokens.branchA,
      headers: { 'content-type': 'image/jpeg' },
      payload: Buffer.from('GIF89a-not-a-jpeg-at-all'),
    });
    expect(gif.statusCode).toBe(415);
    expect(gif.json().code).toBe('PHOTO_TYPE');
    const big = await t.api({
      method: 'PUT',
      url: `/api/v1/persons/${created.id}/photo`,
      token: w.tokens.branchA,
      headers: { 'content-type': 'image/jpeg' },
      payload: fakeJpeg(358, 441, 300 * 1024),
    });
    expect(big.json().code).toBe('PHOTO_SIZE');
  });
});

describe('logs', () => {
  it('never contain the identity numbers or phones used in this file', () => {
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [
      '11010519491231002X',
      '110105194912310021',
      '13800138000',
      '13900139000',
      'E12345678',
      id18('31010119880808006'),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
