import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/fixtures.js';

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const createOrganization = (token: string, payload: Record<string, unknown>, lang?: string) =>
  t.api({
    method: 'POST',
    url: '/api/v1/organizations',
    token,
    payload,
    ...(lang ? { lang } : {}),
  });

describe('organisations', () => {
  it('lets a centre register a bank and a bank its branch, with short codes as aliases', async () => {
    const bank = await createOrganization(w.tokens.centre, {
      kind: 'bank',
      code: 'SH-BANKC',
      name: '测试银行上海分行',
      jurisdiction: 'SH',
      parentId: w.centreId,
    });
    expect(bank.statusCode).toBe(201);
    expect(bank.json()).toMatchObject({
      kind: 'bank',
      jurisdiction: '310000',
      bankId: bank.json().id,
    });
    const branch = await createOrganization(w.tokens.centre, {
      kind: 'branch',
      code: 'SH-BANKC-1',
      name: '测试银行第一支行',
      jurisdiction: '310000',
      parentId: bank.json().id,
    });
    expect(branch.statusCode).toBe(201);
    expect(branch.json().bankId).toBe(bank.json().id);
  });

  it('refuses a branch whose parent is not a bank', async () => {
    const res = await createOrganization(
      w.tokens.centre,
      {
        kind: 'branch',
        code: 'SH-BAD',
        name: '错误网点',
        jurisdiction: 'SH',
        parentId: w.centreId,
      },
      'en',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ORGANIZATION_PARENT_INVALID');
  });

  it('refuses an unknown jurisdiction and a duplicate code', async () => {
    const unknown = await createOrganization(w.tokens.admin, {
      kind: 'centre',
      level: 'city',
      code: 'XX-CENTRE',
      name: '无名中心',
      jurisdiction: 'XX',
    });
    expect(unknown.json().code).toBe('JURISDICTION_UNKNOWN');
    const dup = await createOrganization(w.tokens.admin, {
      kind: 'centre',
      level: 'city',
      code: 'SH-CENTRE',
      name: '重复中心',
      jurisdiction: 'SH',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('ORGANIZATION_CODE_TAKEN');
  });

  it('keeps a bank administrator inside its bank', async () => {
    const other = await createOrganization(w.tokens.bankA, {
      kind: 'branch',
      code: 'SH-BANKB-9',
      name: '别行网点',
      jurisdiction: 'SH',
      parentId: w.bankB,
    });
    expect(other.statusCode).toBe(404);
    const list = await t.api({
      method: 'GET',
      url: '/api/v1/organizations',
      token: w.tokens.bankA,
    });
    const ids = list.json().items.map((o: { id: string }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([w.bankA, w.branchA]));
    expect(ids).not.toContain(w.bankB);
    expect(ids).not.toContain(w.centreId);
  });

  it('filters by kind, jurisdiction and parent', async () => {
    const res = await t.api({
      method: 'GET',
      url: `/api/v1/organizations?kind=branch&jurisdiction=SH&parentId=${w.bankA}`,
      token: w.tokens.centre,
    });
    expect(res.json().items.map((o: { id: string }) => o.id)).toEqual([w.branchA]);
  });

  it('shows a branch operator only its own branch', async () => {
    const res = await t.api({
      method: 'GET',
      url: '/api/v1/organizations',
      token: w.tokens.branchA,
    });
    expect(res.json().items.map((o: { id: string }) => o.id)).toEqual([w.branchA]);
    expect(
      (
        await t.api({
          method: 'GET',
          url: `/api/v1/organizations/${w.branchB}`,
          token: w.tokens.branchA,
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('staff accounts', () => {
  it('lets a bank administrator create a branch operator for its branch, not for another bank', async () => {
    const ok = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.bankA,
      payload: {
        username: 'sh.brancha.2',
        displayName: '经办员二',
        role: 'branch_operator',
        organizationId: w.branchA,
      },
    });
    expect(ok.statusCode).toBe(201);
    // No administrator sets another's password: the account comes with a one-time ticket.
    expect(ok.json().activationTicket).toEqual(expect.any(String));
    expect(ok.json()).not.toHaveProperty('password_hash');
    expect(ok.json()).not.toHaveProperty('passwordHash');
    const foreign = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.bankA,
      payload: {
        username: 'sh.branchb.2',
        displayName: '越权',
        role: 'branch_operator',
        organizationId: w.branchB,
      },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses roles the creator may not grant and roles that do not fit the organisation', async () => {
    const grant = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.bankA,
      payload: {
        username: 'sh.sneaky',
        displayName: 'x',
        role: 'centre_admin',
        organizationId: w.centreId,
      },
    });
    expect(grant.statusCode).toBe(403);
    const fit = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.centre,
      payload: {
        username: 'sh.misfit',
        displayName: 'x',
        role: 'branch_operator',
        organizationId: w.bankA,
      },
    });
    expect(fit.json().code).toBe('ROLE_NOT_ALLOWED_FOR_ORGANIZATION');
  });

  it('refuses a password chosen by the administrator, and taken usernames', async () => {
    const chosen = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.centre,
      payload: {
        username: 'sh.chosen',
        displayName: 'x',
        role: 'branch_operator',
        organizationId: w.branchA,
        password: 'Another-Pass-2026',
      },
    });
    expect(chosen.statusCode).toBe(422);
    expect(chosen.json().code).toBe('PASSWORD_NOT_ACCEPTED');
    const taken = await t.api({
      method: 'POST',
      url: '/api/v1/staff',
      token: w.tokens.centre,
      payload: {
        username: 'sh.centre',
        displayName: 'x',
        role: 'centre_admin',
        organizationId: w.centreId,
      },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('USERNAME_TAKEN');
  });

  it('does not let branch operators manage staff', async () => {
    expect(
      (await t.api({ method: 'GET', url: '/api/v1/staff', token: w.tokens.branchA })).statusCode,
    ).toBe(403);
  });
});
