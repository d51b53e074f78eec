/**
 * The five jurisdictions whose regulations ship with sscard. Their rule packs (issue 3) carry the
 * same codes and names; this list is what the directory starts from until packs are loaded.
 */
import type { JurisdictionInfo } from './directory.js';

export const BUILT_IN_JURISDICTIONS: readonly JurisdictionInfo[] = [
  { code: '330900', shortCode: 'ZS', name: { zh: '舟山市', en: 'Zhoushan' } },
  { code: '440200', shortCode: 'SG', name: { zh: '韶关市', en: 'Shaoguan' } },
  { code: '310000', shortCode: 'SH', name: { zh: '上海市', en: 'Shanghai' } },
  { code: '460000', shortCode: 'HN', name: { zh: '海南省', en: 'Hainan' } },
  { code: '350100', shortCode: 'FZ', name: { zh: '福州市', en: 'Fuzhou' } },
];
