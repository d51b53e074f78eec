/**
 * The texts of the messages to holders, in Chinese and English (docs/NOTIFICATIONS.md). A
 * template gets the message's payload (a card's last four characters, a branch's name, a reason)
 * and nothing else: the holder's name is not in the text.
 */
import type { NotificationKind } from './notifications.repository.js';

export type TemplateLocale = 'zh-CN' | 'en';

export interface TemplateData {
  cardTail?: string;
  branchName?: string;
  reason?: string;
  rule?: string | null;
  /** The day a limit runs out (YYYY-MM-DD, Shanghai). */
  until?: string;
}

type Template = (d: TemplateData) => string;

const SIGN = { 'zh-CN': '【社保卡】', en: '[Social security card] ' } as const;

const TEMPLATES: Record<NotificationKind, Record<TemplateLocale, Template>> = {
  card_ready: {
    'zh-CN': (d) =>
      `您的社会保障卡（尾号${d.cardTail ?? ''}）已制作完成，请携带本人有效身份证件到${d.branchName ?? '办卡网点'}领取。`,
    en: (d) =>
      `Your social security card (ending ${d.cardTail ?? ''}) is ready: collect it at ${d.branchName ?? 'your branch'} with your identity document.`,
  },
  pickup_reminder: {
    'zh-CN': (d) =>
      `您的社会保障卡（尾号${d.cardTail ?? ''}）尚未领取，请于${d.until ?? '近期'}前到${d.branchName ?? '办卡网点'}领取，逾期将按规定处理。`,
    en: (d) =>
      `Your social security card (ending ${d.cardTail ?? ''}) has not been collected: collect it at ${d.branchName ?? 'your branch'} before ${d.until ?? 'long'}, or it will be dealt with as the rules say.`,
  },
  loss_lapse: {
    'zh-CN': (d) =>
      `您的社会保障卡（尾号${d.cardTail ?? ''}）临时挂失将于${d.until ?? ''}到期，如卡片确已遗失，请及时办理正式挂失。`,
    en: (d) =>
      `The temporary loss report of your social security card (ending ${d.cardTail ?? ''}) lapses on ${d.until ?? ''}: if the card is really lost, report it formally.`,
  },
  application_rejected: {
    'zh-CN': (d) =>
      `您的社会保障卡申领未通过审核，原因：${d.reason || '详见办理网点'}${d.rule ? `（${d.rule}）` : ''}。`,
    en: (d) =>
      `Your social security card application was not approved: ${d.reason || 'ask at your branch'}${d.rule ? ` (${d.rule})` : ''}.`,
  },
  ecard_issued: {
    'zh-CN': (d) => `您的电子社保卡已签发（实体卡尾号${d.cardTail ?? ''}）。`,
    en: (d) =>
      `Your electronic social security card has been issued (card ending ${d.cardTail ?? ''}).`,
  },
  ecard_suspended: {
    'zh-CN': (d) => `您的社会保障卡（尾号${d.cardTail ?? ''}）已停用，电子社保卡随之暂停使用。`,
    en: (d) =>
      `Your social security card (ending ${d.cardTail ?? ''}) has been suspended; your electronic card is suspended with it.`,
  },
};

export function renderMessage(
  kind: NotificationKind,
  data: TemplateData,
  locale: TemplateLocale = 'zh-CN',
): string {
  return SIGN[locale] + TEMPLATES[kind][locale](data);
}
