/**
 * Terminals and card readers (读写卡终端、读卡器) at service points and counters: what they are,
 * where they stand (the place a PIN check happens), and the filing term for their changes
 * (FZ-12: 信息发生变更时，应于7个工作日内向市信息数据中心报备; ZS-18: 定期报备, no term).
 */
import { DomainError, type Citation } from '../errors/domain-error.js';
import { PLACE_LABELS } from '../lifecycle/place.js';
import type { OrganizationKind, ServicePointKind } from '../organisations/kinds.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { ServicePlace } from '../rules/vocabulary.js';

export const TERMINAL_KINDS = [
  'card_reader',
  'pos',
  'gate',
  'kiosk',
  'issuing_terminal',
  'card_printer', // FZ-12 小型卡面打印设备（小型制卡机）
] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

export const TERMINAL_KIND_LABELS: Record<TerminalKind, { zh: string; en: string }> = {
  card_reader: { zh: '读写卡器', en: 'Card reader' },
  pos: { zh: '结算终端（POS）', en: 'POS terminal' },
  gate: { zh: '闸机', en: 'Gate' },
  kiosk: { zh: '自助终端', en: 'Kiosk' },
  issuing_terminal: { zh: '制发卡终端', en: 'Issuing terminal' },
  card_printer: { zh: '卡面打印设备（制卡机）', en: 'Card printer' },
};

export const TERMINAL_STATUSES = ['active', 'suspended', 'retired'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export const TERMINAL_STATUS_LABELS: Record<TerminalStatus, { zh: string; en: string }> = {
  active: { zh: '启用', en: 'active' },
  suspended: { zh: '暂停', en: 'suspended' },
  retired: { zh: '已停用注销', en: 'retired' },
};

/** The organisations that hold terminals: service points and the counters. */
export const TERMINAL_OWNER_KINDS: readonly OrganizationKind[] = [
  'service_point',
  'branch',
  'community_outlet',
  'service_window',
];

/** Where a terminal stands, in the words of the packs; null: none of the packs' places (transit). */
export function terminalPlace(
  organizationKind: OrganizationKind,
  servicePointKind: ServicePointKind | null,
): ServicePlace | null {
  switch (organizationKind) {
    case 'branch':
    case 'bank':
      return 'bank_outlet';
    case 'community_outlet':
      return 'community_outlet';
    case 'service_window':
    case 'centre':
      return 'service_window';
    case 'service_point':
      switch (servicePointKind) {
        case 'hospital':
          return 'medical_institution';
        case 'pharmacy':
          return 'pharmacy';
        case 'government_window':
          return 'service_window';
        default:
          return null;
      }
    default:
      return null;
  }
}

const listOf = (places: readonly ServicePlace[], lang: 'zh' | 'en') =>
  places.map((p) => PLACE_LABELS[p][lang]).join(lang === 'zh' ? '、' : ', ');

/**
 * FZ-32: 社会保障应用密码仅在全市定点零售药店刷卡结算时校验使用. Where the pack names the places
 * a social PIN is checked, a terminal elsewhere is refused before the PIN is looked at (so a
 * check in the wrong place never counts toward the lock).
 */
export function requirePinCheckPlace(pack: RulePack, place: ServicePlace | null): void {
  const allowed = pack.pin.verifiedOnlyAt.value;
  if (allowed === null || (place !== null && allowed.includes(place))) return;
  throw new DomainError(
    'PIN_PLACE_NOT_ALLOWED',
    {
      place: place ? PLACE_LABELS[place].zh : '本终端所在地',
      placeEn: place ? PLACE_LABELS[place].en : 'this terminal’s place',
      allowed: listOf(allowed, 'zh'),
      allowedEn: listOf(allowed, 'en'),
    },
    citationOf(pack.pin.verifiedOnlyAt.source),
  );
}

export interface FilingTerm {
  /** The working days (or days) a change must be filed within, from the day it happened. */
  within: { amount: number; unit: 'minutes' | 'days' | 'working_days' } | null;
  citation: Citation;
}

/** The pack's filing term for terminal registrations and changes (FZ-12), if it sets one. */
export function filingTerm(pack: RulePack): FilingTerm {
  const param = pack.devices.registration;
  return {
    within: param.value.changeReportWithin as FilingTerm['within'],
    citation: citationOf(param.source),
  };
}
