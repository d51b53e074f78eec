/**
 * The small world a scenario runs in: for its jurisdiction a card centre, one bank with two
 * branches (the first can make cards on the spot, the second cannot), a community outlet and a
 * card service window (社保卡综合服务窗口),
 * created through the organisations service like any other. The actors are the counters of that
 * world; each act runs as one of them with the role, organisation and data scope a logged-in
 * member of staff there would have.
 */
import {
  mod11_2CheckChar,
  scopeOf,
  type OrganizationKind,
  type Role,
  type RulePack,
} from '@sscard/domain';
import { fakeJpeg } from '@sscard/domain/testing';
import { systemContext, type ActContext, type Actor } from '../context.js';
import type { Platform } from '../platform.js';
import type { ActorName } from './scenario.js';

export interface WorldOrg {
  id: string;
  kind: OrganizationKind;
  bankId: string | null;
}

export interface World {
  pack: RulePack;
  /** Division code of the jurisdiction (310000). */
  division: string;
  orgs: Record<ActorName, WorldOrg>;
}

const ROLES: Record<ActorName, Role> = {
  centre: 'centre_admin',
  branch: 'branch_operator',
  branch2: 'branch_operator',
  community: 'community_operator',
  window: 'community_operator',
};

export async function buildWorld(platform: Platform, pack: RulePack): Promise<World> {
  const { organizations } = platform.services;
  const ctx = systemContext('scenario');
  const division = pack.divisionCode;
  const create = async (
    kind: OrganizationKind,
    suffix: string,
    name: string,
    parentId: string | null,
    extra: { level?: 'provincial' | 'city'; canInstantIssue?: boolean } = {},
  ): Promise<WorldOrg> => {
    const row = await organizations.create(
      {
        kind,
        code: `${pack.code}-${suffix}`,
        name: `${pack.name.zh}${name}`,
        jurisdiction: division,
        parentId,
        level: extra.level ?? null,
        canInstantIssue: extra.canInstantIssue ?? false,
      },
      ctx,
    );
    return { id: row.id, kind: row.kind as OrganizationKind, bankId: row.bank_id };
  };
  const centre = await create('centre', 'CENTRE', '社会保障卡服务中心', null, {
    level: /0000$/.test(division) ? 'provincial' : 'city',
  });
  const bank = await create('bank', 'BANK', '合作银行', centre.id);
  const branch = await create('branch', 'BANK-1', '合作银行第一网点', bank.id, {
    canInstantIssue: true,
  });
  const branch2 = await create('branch', 'BANK-2', '合作银行第二网点', bank.id);
  const community = await create('community_outlet', 'COMM', '社区受理网点', centre.id);
  const window = await create('service_window', 'WINDOW', '社保卡综合服务窗口', centre.id);
  return { pack, division, orgs: { centre, branch, branch2, community, window } };
}

export function actorOf(world: World, name: ActorName): Actor {
  const org = world.orgs[name];
  const role = ROLES[name];
  const subject = {
    role,
    organizationId: org.id,
    organizationKind: org.kind,
    bankId: org.bankId,
    jurisdiction: world.division,
  };
  return {
    staffId: null,
    username: `scenario:${name}`,
    ...subject,
    scope: scopeOf(subject),
    sessionId: null,
  };
}

export function contextOf(world: World, name: ActorName, step: number): ActContext {
  return {
    actor: actorOf(world, name),
    requestId: `scenario-step-${step}`,
    ip: null,
    reason: null,
    locale: 'zh-CN',
    audited: false,
  };
}

/** A county of each built-in jurisdiction, for identity numbers; others use the division code. */
const COUNTIES: Record<string, string> = {
  SH: '310101',
  HN: '460105',
  FZ: '350102',
  SG: '440203',
  ZS: '330902',
};

export class IdNumbers {
  private sequence = 100;

  constructor(private readonly pack: RulePack) {}

  /** A valid, fictitious citizen number (or HMT permit number) for someone born on `birthDate`. */
  next(birthDate: string, hmt = false): string {
    this.sequence += 1;
    const region = hmt ? '810000' : (COUNTIES[this.pack.code] ?? this.pack.divisionCode);
    const body = `${region}${birthDate.replaceAll('-', '')}${String(this.sequence % 1000).padStart(3, '0')}`;
    return body + mod11_2CheckChar(body);
  }
}

/**
 * A placeholder ID photo: a real baseline JPEG of 358 × 441 flat grey pixels (the ID-photo size),
 * about 2 kB. Photos are decoded and re-encoded on upload, so it must be a picture that decodes,
 * not just a header; it shows nothing.
 */
export function placeholderPhoto(): Buffer {
  return fakeJpeg(358, 441);
}
