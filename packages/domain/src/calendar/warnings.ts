import type { Bilingual } from '../errors/entry.js';
import { interpolate, type Locale } from '../errors/render.js';

/**
 * Warnings travel with results instead of failing them: a deadline computed on the fallback
 * (Monday–Friday less the statutory festival days, with the notice's 调休 unknown) is still the
 * best answer available, but the console and admin pages must show that it may move once the
 * State Council publishes the year's arrangement.
 */
export interface CalendarWarning {
  /**
   * CALENDAR_FALLBACK: a day of `year` was counted without the year's State Council notice:
   * Monday–Friday less the festival days of 《全国年节及纪念日放假办法》, the adjusted rest and
   * working days (补假, 调休) unknown. CALENDAR_NEXT_YEAR_MISSING: it is December and `year`
   * (next year) is not covered.
   */
  code: 'CALENDAR_FALLBACK' | 'CALENDAR_NEXT_YEAR_MISSING';
  year: number;
}

export const CALENDAR_WARNING_MESSAGES: Readonly<Record<CalendarWarning['code'], Bilingual>> = {
  CALENDAR_FALLBACK: {
    zh: '{year}年的国务院节假日安排尚未录入，暂按周一至周五为工作日、《全国年节及纪念日放假办法》规定的节日当天放假计算；补假和调休（调休放假及周末上班）的日期未知，结果可能需要调整。',
    en: 'The State Council holiday arrangement for {year} has not been entered; for now Monday to Friday are counted as working days and the festival days set by the national holiday measures as days off. The make-up and adjusted days (补假, 调休) are unknown, so the result may change.',
  },
  CALENDAR_NEXT_YEAR_MISSING: {
    zh: '{year}年的节假日安排尚未录入。国务院办公厅通知发布后，请在节假日调整表中录入并将该年标记为完整。',
    en: 'The holiday arrangement for {year} has not been entered. Once the State Council notice is published, enter it in the calendar override table and mark the year complete.',
  },
};

export function renderCalendarWarning(warning: CalendarWarning, locale: Locale): string {
  const template = CALENDAR_WARNING_MESSAGES[warning.code][locale === 'en' ? 'en' : 'zh'];
  return interpolate(template, { year: warning.year });
}
