import { describe, expect, it } from 'vitest';
import {
  can,
  jurisdictionCovers,
  jurisdictionPrefix,
  roleFitsOrganization,
  scopeOf,
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
