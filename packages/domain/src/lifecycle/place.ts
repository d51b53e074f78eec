/**
 * Where an act happens, in the words of the rule packs (SERVICE_PLACES), and whether the pack
 * allows it there (`places.<act>`). A counter is the kind of organisation the member of staff
 * works at: a bank branch is a `bank_outlet`, a community outlet (SH-7) a `community_outlet`, the
 * card centre's own window or a 社保卡综合服务窗口 (SG-6) a `service_window`. A report taken by
 * phone, online or in an app is recorded with that channel by the staff who take it.
 */
import { DomainError } from '../errors/domain-error.js';
import type { OrganizationKind } from '../organisations/kinds.js';
import { citationOf } from '../rules/registry.js';
import type { RulePack } from '../rules/schema.js';
import type { Source } from '../rules/param.js';
import {
  COUNTER_PLACES,
  type ApplicationChannel,
  type ChangeReason,
  type PlaceAct,
  type ServicePlace,
} from '../rules/vocabulary.js';

/** How the holder reached us: in person at this counter, or by phone, online, app. */
export const VIAS = ['counter', 'phone', 'bank_phone', 'online', 'self_service', 'app'] as const;
export type Via = (typeof VIAS)[number];

/** The organisation kinds a counter can be; `service_window` may not be an organisation kind yet. */
export type CounterKind = OrganizationKind | 'service_window';

/**
 * The place of an act done by a member of staff of an organisation of this kind. A centre acts
 * at its own window; an organisation that is no service place (a unit, a vendor) or none at all
 * (the platform itself) is read as the centre's window, the only other place acts are done.
 */
export function placeOf(via: Via, organizationKind: CounterKind | null): ServicePlace {
  if (via !== 'counter') return via;
  switch (organizationKind) {
    case 'branch':
    case 'bank':
      return 'bank_outlet';
    case 'community_outlet':
      return 'community_outlet';
    default:
      return 'service_window';
  }
}

/**
 * The place of an act by this actor: a holder signed in online acts `online` (or in the `app`),
 * whatever the request says; staff act at their counter or record the channel the holder used.
 */
export function placeOfActor(
  actor: { organizationKind: CounterKind | null; holder?: unknown } | null,
  via: Via,
): ServicePlace {
  if (actor?.holder) return via === 'app' ? 'app' : 'online';
  return placeOf(via, actor?.organizationKind ?? null);
}

export function isCounterPlace(place: ServicePlace): boolean {
  return (COUNTER_PLACES as readonly string[]).includes(place);
}

/** The place an application channel names by itself, if any (`counter` needs the organisation). */
export function placeOfChannel(channel: ApplicationChannel): ServicePlace | null {
  return channel === 'online' || channel === 'self_service' ? channel : null;
}

export const PLACE_LABELS: Record<ServicePlace, { zh: string; en: string }> = {
  service_window: { zh: '社保卡综合服务窗口（经办机构）', en: 'card service window' },
  community_outlet: { zh: '社区受理网点', en: 'community outlet' },
  bank_outlet: { zh: '合作银行网点', en: 'bank branch' },
  online: { zh: '网上服务平台', en: 'online platform' },
  phone: { zh: '服务电话', en: 'service phone line' },
  bank_phone: { zh: '银行客服电话', en: 'bank phone line' },
  self_service: { zh: '自助终端', en: 'self-service terminal' },
  app: { zh: '手机 APP', en: 'mobile app' },
  medical_institution: { zh: '定点医疗机构', en: 'designated medical institution' },
  pharmacy: { zh: '定点零售药店', en: 'designated pharmacy' },
};

export const PLACE_ACT_LABELS: Record<PlaceAct, { zh: string; en: string }> = {
  first: { zh: '首次申领', en: 'A first application' },
  replacement: { zh: '补领', en: 'A replacement' },
  change: { zh: '换领', en: 'A change of card' },
  expiryChange: { zh: '有效期满换领', en: 'A change of an expiring card' },
  reissue: { zh: '换发（重新申领）', en: 'A reissue' },
  temporary: { zh: '临时卡申领', en: 'A temporary card' },
  issue: { zh: '发放', en: 'Issuing a card' },
  socialActivation: { zh: '启用社会保障功能', en: 'Activating the social function' },
  financialActivation: { zh: '激活金融功能', en: 'Activating the financial function' },
  temporaryLoss: { zh: '临时挂失', en: 'A temporary loss report' },
  formalLoss: { zh: '正式挂失', en: 'A formal loss report' },
  unreport: { zh: '解除挂失', en: 'Un-reporting a loss' },
  pinChange: { zh: '修改社保密码', en: 'Changing the social PIN' },
  pinReset: { zh: '重置社保密码', en: 'Resetting the social PIN' },
  pinUnlock: { zh: '解锁社保密码', en: 'Unlocking the social PIN' },
  suspension: { zh: '停用（恢复）', en: 'Stopping or resuming a card' },
  freeze: { zh: '冻结（解除）', en: 'Freezing or unfreezing a card' },
  cancellation: { zh: '注销', en: 'Cancelling a card' },
  nonKeyInfoChange: { zh: '非关键信息变更', en: 'A change of contact data' },
  keyInfoChange: { zh: '关键信息变更', en: 'A change of key information' },
};

/** The pack parameter for an act: a change for an expired card has its own where a text says. */
export function placesFor(
  pack: RulePack,
  act: PlaceAct,
  reason?: ChangeReason,
): { value: readonly ServicePlace[]; source: Source; act: PlaceAct } {
  if (act === 'change' && reason === 'expired') {
    const expiry = pack.places.expiryChange;
    if (expiry.value !== null)
      return { value: expiry.value, source: expiry.source, act: 'expiryChange' };
  }
  if (act === 'expiryChange') {
    const expiry = pack.places.expiryChange;
    if (expiry.value !== null) return { value: expiry.value, source: expiry.source, act };
    return { ...pack.places.change, act: 'change' };
  }
  const param = pack.places[act];
  return { value: param.value, source: param.source, act };
}

/** Whether the pack allows the act at this place. */
export function placeAllowed(
  pack: RulePack,
  act: PlaceAct,
  place: ServicePlace,
  reason?: ChangeReason,
): boolean {
  return placesFor(pack, act, reason).value.includes(place);
}

const list = (places: readonly ServicePlace[], lang: 'zh' | 'en') =>
  places.length
    ? places.map((p) => PLACE_LABELS[p][lang]).join(lang === 'zh' ? '、' : ', ')
    : lang === 'zh'
      ? '（无：本统筹区不办理）'
      : '(nowhere: not done in this jurisdiction)';

/**
 * Refuses an act at a place the pack does not name for it, citing the article that says where
 * (PLACE_NOT_ALLOWED). `reason` picks HN-22(一)'s places for a change of an expired card.
 */
export function requirePlace(
  pack: RulePack,
  act: PlaceAct,
  place: ServicePlace,
  reason?: ChangeReason,
): void;
/** @deprecated the pre-`places` form: a list parameter, the place and a label for the act. */
export function requirePlace(
  allowed: { value: readonly string[]; source: Source },
  place: ServicePlace,
  act: string,
): void;
export function requirePlace(
  first: RulePack | { value: readonly string[]; source: Source },
  second: PlaceAct | ServicePlace,
  third?: ServicePlace | string,
  reason?: ChangeReason,
): void {
  if ('places' in first) {
    const pack = first;
    const act = second as PlaceAct;
    const place = third as ServicePlace;
    const param = placesFor(pack, act, reason);
    if (param.value.includes(place)) return;
    throw placeRefusal(param.act, place, param.value, param.source);
  }
  const place = second as ServicePlace;
  if (first.value.includes(place)) return;
  throw new DomainError(
    'PLACE_NOT_ALLOWED',
    {
      act: String(third),
      actEn: String(third),
      actId: '',
      place: PLACE_LABELS[place]?.zh ?? place,
      placeEn: PLACE_LABELS[place]?.en ?? place,
      allowed: list(first.value as ServicePlace[], 'zh'),
      allowedEn: list(first.value as ServicePlace[], 'en'),
    },
    citationOf(first.source),
  );
}

function placeRefusal(
  act: PlaceAct,
  place: ServicePlace,
  allowed: readonly ServicePlace[],
  source: Source,
): DomainError {
  return new DomainError(
    'PLACE_NOT_ALLOWED',
    {
      act: PLACE_ACT_LABELS[act].zh,
      actEn: PLACE_ACT_LABELS[act].en,
      actId: act,
      place: PLACE_LABELS[place].zh,
      placeEn: PLACE_LABELS[place].en,
      allowed: list(allowed, 'zh'),
      allowedEn: list(allowed, 'en'),
    },
    citationOf(source),
  );
}
