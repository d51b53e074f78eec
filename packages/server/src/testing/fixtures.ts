/**
 * A small world for tests: in one jurisdiction a centre, two banks with a branch each, a
 * community outlet and a card service window, with one account per role. Built through the services (so it is validated
 * and audited like anything else); tokens come from real logins.
 */
import type { Role } from '@sscard/domain';
import { systemContext } from '../context.js';
import type { TestPlatform } from './harness.js';

export const STAFF_PASSWORD = 'Staff-Test-2026!';

export interface World {
  jurisdiction: string;
  centreId: string;
  bankA: string;
  branchA: string;
  bankB: string;
  branchB: string;
  outletId: string;
  windowId: string;
  vendorId: string;
  /** A pharmacy (用卡服务点) of the centre, whose operator checks cards (issue 12). */
  pharmacyId: string;
  tokens: Record<
    | 'admin'
    | 'centre'
    | 'auditor'
    | 'bankA'
    | 'branchA'
    | 'bankB'
    | 'branchB'
    | 'community'
    | 'window'
    | 'vendor'
    | 'pharmacy',
    string
  >;
}

export async function buildWorld(t: TestPlatform, short = 'SH', code = '310000'): Promise<World> {
  const { organizations, staff } = t.platform.services;
  const ctx = systemContext('test');
  const p = short.toLowerCase();
  const org = (
    kind:
      | 'centre'
      | 'bank'
      | 'branch'
      | 'community_outlet'
      | 'service_window'
      | 'service_point'
      | 'vendor',
    suffix: string,
    parentId?: string,
    level?: 'city' | 'provincial',
  ) =>
    organizations.create(
      {
        kind,
        code: `${short}-${suffix}`,
        name: `${short} ${suffix} 测试机构`,
        jurisdiction: code,
        parentId: parentId ?? null,
        level: level ?? null,
        canInstantIssue: kind === 'branch',
        servicePointKind: kind === 'service_point' ? 'pharmacy' : null,
      },
      ctx,
    );
  const centre = await org('centre', 'CENTRE', undefined, 'provincial');
  const bankA = await org('bank', 'BANKA', centre.id);
  const branchA = await org('branch', 'BANKA-1', bankA.id);
  const bankB = await org('bank', 'BANKB', centre.id);
  const branchB = await org('branch', 'BANKB-1', bankB.id);
  const outlet = await org('community_outlet', 'COMM', centre.id);
  const window = await org('service_window', 'WINDOW', centre.id);
  const vendor = await org('vendor', 'VENDOR', centre.id);
  const pharmacy = await org('service_point', 'PHARMACY', centre.id);

  const account = async (username: string, role: Role, organizationId: string) => {
    await staff.create(
      { username, displayName: username, role, organizationId, password: STAFF_PASSWORD },
      ctx,
    );
    return t.login(username, STAFF_PASSWORD);
  };
  const tokens = {
    admin: await t.login('admin', 'Admin-Test-2026!'),
    centre: await account(`${p}.centre`, 'centre_admin', centre.id),
    auditor: await account(`${p}.auditor`, 'auditor', centre.id),
    bankA: await account(`${p}.banka`, 'bank_admin', bankA.id),
    branchA: await account(`${p}.brancha`, 'branch_operator', branchA.id),
    bankB: await account(`${p}.bankb`, 'bank_admin', bankB.id),
    branchB: await account(`${p}.branchb`, 'branch_operator', branchB.id),
    community: await account(`${p}.community`, 'community_operator', outlet.id),
    window: await account(`${p}.window`, 'community_operator', window.id),
    vendor: await account(`${p}.vendor`, 'vendor_operator', vendor.id),
    pharmacy: await account(`${p}.pharmacy`, 'service_point_operator', pharmacy.id),
  };
  return {
    jurisdiction: code,
    centreId: centre.id,
    bankA: bankA.id,
    branchA: branchA.id,
    bankB: bankB.id,
    branchB: branchB.id,
    outletId: outlet.id,
    windowId: window.id,
    vendorId: vendor.id,
    pharmacyId: pharmacy.id,
    tokens,
  };
}

/** A valid resident ID number with the given body (17 digits); the check character is computed. */
export { mod11_2CheckChar } from '@sscard/domain';
