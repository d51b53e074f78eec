import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

/**
 * 中文 | English: two buttons, no menu to open, the same on every page. Plain HTML (no component
 * library), so the login page that shows it loads fast.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <div
      className="language-switch"
      role="group"
      aria-label={t('app.language')}
      data-testid="language"
    >
      {(
        [
          ['zh-CN', '中文'],
          ['en', 'English'],
        ] as const
      ).map(([value, label]) => (
        <button
          key={value}
          type="button"
          lang={value}
          aria-pressed={current === value}
          className={current === value ? 'active' : undefined}
          onClick={() => void setLanguage(value)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
