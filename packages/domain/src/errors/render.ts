import { catalogue, type ErrorCode, type ErrorKind } from './catalogue.js';
import type { CatalogueEntry } from './entry.js';
import type { MessageParams } from './domain-error.js';

export type Locale = 'zh-CN' | 'en';

export interface RenderedMessage {
  kind: ErrorKind;
  title: string;
  detail: string;
}

/** Fill `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function renderError(
  code: ErrorCode,
  params: MessageParams,
  locale: Locale,
): RenderedMessage {
  const entry: CatalogueEntry = catalogue[code];
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    kind: entry.kind,
    title: entry.title[lang],
    detail: interpolate(entry.detail?.[lang] ?? entry.title[lang], params),
  };
}

/**
 * Pick the locale from an Accept-Language header. zh-CN is the default; English is chosen only
 * when the client prefers it (by order or q-value) over any Chinese tag.
 */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const tags = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((t) => t.tag && t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of tags) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh-CN';
}
