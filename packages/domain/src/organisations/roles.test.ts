import { describe, expect, it } from 'vitest';
import {
  ROLES,
  ROLE_MAY_CREATE,
  SEPARATED_PERMISSIONS,
  can,
  jurisdictionCovers,
  jurisdictionPrefix,
  mayProvision,
  roleFitsOrganization,
  scopeOf,
  separatedNotHeld,
} from './roles.js';

describe('roles and scopes', () => {
  it('gives each role its permissions', () => {
    expect(can('branch_operator', 'person.create')).toBe(true);
    expect(can('branch_operator', 'staff.create')).toBe(false);
    expect(can('auditor', 'audit.read')).toBe(true);
    expect(can('auditor', 'person.read_full')).toBe(false);
    expect(can('vendor_operator', 'person.read')).toBe(false);
  });

  it('ties roles to organisation kinds', () => {
    expect(roleFitsOrganization('branch_operator', 'branch')).toBe(true);
    expect(roleFitsOrganization('branch_operator', 'bank')).toBe(false);
    expect(roleFitsOrganization('installation_admin', null)).toBe(true);
    expect(roleFitsOrganization('auditor', 'centre')).toBe(true);
    expect(roleFitsOrganization('auditor', null)).toBe(true);
  });

  it('derives a scope from the organisation', () => {
    const base = { organizationId: 'o1', bankId: null, jurisdiction: '330900' };
    expect(scopeOf({ ...base, role: 'centre_admin', organizationKind: 'centre' })).toEqual({
      kind: 'jurisdiction',
      prefix: '3309',
    });
    expect(
      scopeOf({ ...base, role: 'bank_admin', organizationKind: 'bank', bankId: 'o1' }),
    ).toEqual({ kind: 'bank', bankId: 'o1' });
    expect(scopeOf({ ...base, role: 'branch_operator', organizationKind: 'branch' })).toEqual({
      kind: 'organization',
      organizationId: 'o1',
    });
    expect(
      scopeOf({
        ...base,
        role: 'installation_admin',
        organizationId: null,
        organizationKind: null,
      }),
    ).toEqual({ kind: 'all' });
  });

  it('covers jurisdictions by division-code prefix', () => {
    expect(jurisdictionPrefix('460000')).toBe('46');
    expect(jurisdictionPrefix('350100')).toBe('3501');
    expect(jurisdictionCovers('330000', '330900')).toBe(true);
    expect(jurisdictionCovers('330900', '330000')).toBe(false);
    expect(jurisdictionCovers('310000', '310000')).toBe(true);
  });
});

describe('separation of duties (三权分立)', () => {
  it('no role both grants accounts or permissions and reads the audit trail', async () => {
    const { ROLES, GRANTING_PERMISSIONS } = await import('./roles.js');
    for (const role of ROLES) {
      const grants = GRANTING_PERMISSIONS.some((p) => can(role, p));
      expect(grants && can(role, 'audit.read'), role).toBe(false);
    }
    expect(can('auditor', 'audit.read')).toBe(true);
  });

  it('an account holds only the acts granted to it within its role (FZ-37)', async () => {
    const { effectivePermissions, actorCan } = await import('./roles.js');
    const granted = effectivePermissions('branch_operator', [
      'card.loss',
      'card.pin',
      'audit.read',
    ]);
    expect(granted).toEqual(['card.loss', 'card.pin']);
    expect(actorCan({ role: 'branch_operator', permissions: granted }, 'card.cancel')).toBe(false);
    expect(actorCan({ role: 'branch_operator' }, 'card.cancel')).toBe(true);
  });
});

describe('separation of duties for what administrators hand out (GB/T 22239-2019 8.1.4.2)', () => {
  it('separates reading the audit trail and reading full records', () => {
    expect([...SEPARATED_PERMISSIONS].sort()).toEqual(['audit.read', 'person.read_full']);
  });

  it('a centre administrator cannot create auditors; it can create the counters’ accounts', () => {
    const centre = { role: 'centre_admin' as const };
    expect(mayProvision(centre, 'auditor')).toBe(false);
    expect(separatedNotHeld(centre, 'auditor')).toEqual(['audit.read']);
    for (const role of [
      'centre_admin',
      'bank_admin',
      'branch_operator',
      'community_operator',
      'vendor_operator',
    ] as const)
      expect(mayProvision(centre, role), role).toBe(true);
  });

  it('the installation administrator cannot create accounts that read full records, nor auditors', () => {
    const admin = { role: 'installation_admin' as const };
    for (const role of [
      'centre_admin',
      'bank_admin',
      'branch_operator',
      'community_operator',
    ] as const) {
      expect(mayProvision(admin, role), role).toBe(false);
      expect(separatedNotHeld(admin, role), role).toEqual(['person.read_full']);
    }
    expect(mayProvision(admin, 'auditor')).toBe(false);
    expect(mayProvision(admin, 'vendor_operator')).toBe(true);
    expect(mayProvision(admin, 'installation_admin')).toBe(true);
  });

  it('a bank administrator creates bank administrators and branch operators', () => {
    const bank = { role: 'bank_admin' as const };
    expect(mayProvision(bank, 'bank_admin')).toBe(true);
    expect(mayProvision(bank, 'branch_operator')).toBe(true);
    expect(mayProvision(bank, 'auditor')).toBe(false);
  });

  it('judges an FZ-37 grant by what it grants, and the approver by what it was granted', () => {
    const admin = { role: 'installation_admin' as const };
    expect(mayProvision(admin, 'branch_operator', ['card.loss', 'card.pin'])).toBe(true);
    expect(mayProvision(admin, 'branch_operator', ['card.loss', 'person.read_full'])).toBe(false);
    // A centre administrator restricted (hypothetically) to a subset without full reads.
    const restricted = { role: 'centre_admin' as const, permissions: ['staff.create' as const] };
    expect(mayProvision(restricted, 'branch_operator')).toBe(false);
  });

  it('every role each role may create passes the rule', () => {
    for (const creator of ROLES)
      for (const role of ROLE_MAY_CREATE[creator])
        expect(mayProvision({ role: creator }, role), `${creator} → ${role}`).toBe(true);
    expect(ROLE_MAY_CREATE.centre_admin).not.toContain('auditor');
    expect(ROLE_MAY_CREATE.installation_admin).not.toContain('branch_operator');
    expect(ROLE_MAY_CREATE.installation_admin).not.toContain('centre_admin');
    expect(ROLE_MAY_CREATE.installation_admin).not.toContain('bank_admin');
    expect(ROLE_MAY_CREATE.bank_admin).toEqual(['bank_admin', 'branch_operator']);
  });

  it('no role creates or grants a separated permission it lacks (every pair)', () => {
    for (const creator of ROLES)
      for (const role of ROLES)
        expect(mayProvision({ role: creator }, role), `${creator} → ${role}`).toBe(
          SEPARATED_PERMISSIONS.every((p) => !can(role, p) || can(creator, p)),
        );
  });
});
