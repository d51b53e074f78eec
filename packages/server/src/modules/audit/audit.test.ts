/**
 * The export for an auditor (JSON Lines that re-hash line by line, audited, within the reader's
 * scope) and a person's access log (who read or changed their record, cards and applications,
 * shown as organisation and role, never as a member of staff).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, TEST_START, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { registerPerson } from '../../testing/people.js';
import { parseArchiveRecord } from './archive.js';
import { hashRecord } from './chain.js';

let t: TestPlatform;
let w: World;
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const from = new Date(TEST_START.getTime() - 24 * HOUR).toISOString();
const to = new Date(TEST_START.getTime() + 24 * HOUR).toISOString();

describe('the export for an auditor', () => {
  it('streams the period as JSON Lines that re-hash record by record, and is audited', async () => {
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      token: w.tokens.auditor,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toContain('audit-2026-05-05-2026-05-07.jsonl');
    const lines = res.body.trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    const last = new Map<number, { seq: number; hash: string }>();
    for (const line of lines) {
      const raw = JSON.parse(line);
      const record = parseArchiveRecord(raw)!;
      expect(record).not.toBeNull();
      expect(hashRecord(record).toString('hex')).toBe(raw.hash);
      const prev = last.get(raw.shard);
      if (prev) {
        expect(raw.seq).toBeGreaterThan(prev.seq);
        if (raw.seq === prev.seq + 1) expect(raw.prev_hash).toBe(prev.hash);
      }
      last.set(raw.shard, { seq: raw.seq, hash: raw.hash });
    }
    const audited = await t.platform.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'audit.export')
      .executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ actor_username: 'sh.auditor', outcome: 'success' });
    expect(audited.details).toMatchObject({ from, to });
  });

  it('keeps to the reader’s scope', async () => {
    // An auditor of another jurisdiction sees none of Shanghai's records.
    const other = await buildWorld(t, 'HN', '460000');
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      token: other.tokens.auditor,
    });
    expect(res.statusCode).toBe(200);
    const records = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.some((r) => r.jurisdiction?.startsWith('31'))).toBe(false);
    expect(records.some((r) => r.actor_username === 'hn.auditor')).toBe(true);
  });

  it('refuses a reversed period and readers without audit.read', async () => {
    const bad = await t.api({
      method: 'GET',
      url: `/api/v1/audit/export?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      token: w.tokens.auditor,
    });
    expect(bad.statusCode).toBe(422);
    const refused = await t.api({
      method: 'GET',
      url: `/api/v1/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      token: w.tokens.branchA,
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('a person’s access log', () => {
  let personId: string;
  let cardNo: string;
  let appId: string;

  beforeAll(async () => {
    personId = (await registerPerson(t, w.tokens.branchA, { name: '日志人' })).id;
    const full = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}?view=full`,
      token: w.tokens.branchA,
      headers: { 'x-sscard-reason': encodeURIComponent('办理社保卡申领，核对身份') },
    });
    expect(full.statusCode).toBe(200);
    await t.setClock(new Date(TEST_START.getTime() + 10 * MINUTE));
    const applied = await t.api({
      method: 'POST',
      url: '/api/v1/applications',
      token: w.tokens.branchA,
      payload: { personId, kind: 'first' },
    });
    expect(applied.statusCode).toBe(201);
    appId = applied.json().id;
    for (const agency of ['police', 'hrss', 'medical']) {
      const r = await t.api({
        method: 'POST',
        url: `/api/v1/applications/${appId}/checks`,
        token: w.tokens.centre,
        payload: { agency, result: 'pass' },
      });
      cardNo = r.json().cardNo;
    }
    expect(cardNo).toBeTruthy();
    await t.setClock(new Date(TEST_START.getTime() + 20 * MINUTE));
    // An act refused on the card is on the log too.
    const refused = await t.api({
      method: 'POST',
      url: `/api/v1/cards/${cardNo}/issue`,
      token: w.tokens.branchA,
      payload: { to: 'holder' },
    });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('shows who read or changed the record, newest first, as organisation and role', async () => {
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}/access-log`,
      token: w.tokens.branchA,
    });
    expect(res.statusCode).toBe(200);
    const log = res.json();
    const actions = log.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('person.create');
    expect(actions).toContain('person.read_full');
    expect(actions).toContain('application.submit');
    expect(actions.filter((a: string) => a === 'application.check')).toHaveLength(3);
    expect(log.total).toBe(log.items.length);
    const times = log.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const read = log.items.find((e: { action: string }) => e.action === 'person.read_full');
    expect(read).toMatchObject({
      by: 'SH BANKA-1 测试机构 · 网点经办员',
      organization: 'SH BANKA-1 测试机构',
      role: '网点经办员',
      system: false,
      reason: '办理社保卡申领，核对身份',
      outcome: 'success',
      target: { type: 'person', id: personId },
    });
    const check = log.items.find((e: { action: string }) => e.action === 'application.check');
    expect(check).toMatchObject({
      by: 'SH CENTRE 测试机构 · 中心管理员',
      target: { type: 'application', id: appId },
    });
    const issue = log.items[0];
    expect(issue.target).toEqual({ type: 'card', id: cardNo });
    expect(issue.outcome).toBe('refused');

    // Never the member of staff.
    expect(res.body).not.toContain('sh.brancha');
    expect(res.body).not.toContain('sh.centre');
    const staff = await t.platform.deps.db.selectFrom('staff').select('id').execute();
    for (const s of staff) expect(res.body).not.toContain(s.id);
  });

  it('speaks English when asked, pages, and is not itself on the record', async () => {
    const before = await t.platform.deps.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}/access-log?limit=2&offset=1`,
      token: w.tokens.centre,
      lang: 'en',
    });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items).toHaveLength(2);
    expect(page.limit).toBe(2);
    expect(page.offset).toBe(1);
    expect(page.items[0].by).toMatch(/ · (Branch operator|Centre administrator)$/);
    const after = await t.platform.deps.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('is not found outside the reader’s scope', async () => {
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}/access-log`,
      token: w.tokens.branchB,
    });
    expect(res.statusCode).toBe(404);
    const vendor = await t.api({
      method: 'GET',
      url: `/api/v1/persons/${personId}/access-log`,
      token: w.tokens.vendor,
    });
    expect(vendor.statusCode).toBe(403);
  });
});
