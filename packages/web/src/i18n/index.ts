/**
 * Languages: Simplified Chinese by default, English on request. The choice is kept in
 * localStorage and sent to the API as Accept-Language, so the server's messages (problem titles,
 * details) come in the same language. English texts, antd's and dayjs's English are loaded only
 * when chosen.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { clientState } from '../api/client';
import zh from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'sscard.language';

function stored(): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

async function ensure(language: Language): Promise<void> {
  if (language === 'en' && !i18n.hasResourceBundle('en', 'translation')) {
    const en = (await import('./en')).default;
    i18n.addResourceBundle('en', 'translation', en);
  }
}

function apply(language: Language): void {
  clientState.language = language;
  document.documentElement.lang = language;
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  document.title = i18n.t('app.name');
}

export async function initI18n(): Promise<void> {
  const language = stored();
  await i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zh } },
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (language !== 'zh-CN') {
    await ensure(language);
    await i18n.changeLanguage(language);
  }
  apply(language);
}

export async function setLanguage(language: Language): Promise<void> {
  await ensure(language);
  await i18n.changeLanguage(language);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  apply(language);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export default i18n;
