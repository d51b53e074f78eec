/**
 * Mainland China's public holidays and adjusted working days (调休), 2015–2026, transcribed from
 * the State Council General Office notices 国务院办公厅关于{year}年部分节假日安排的通知 and the
 * notices that later changed them (listed in `amendments`).
 *
 * `off` is the rest period as the notice states it, first and last day inclusive; a period the
 * notice gives as "与周末连休" lists only the festival days themselves (the weekend is off anyway).
 * `work` lists the Saturdays and Sundays the notice makes working days. A notice sometimes
 * reaches into the previous December (New Year 2019 and 2023); those dates stay with the notice
 * that set them.
 *
 * Verification: every year was cross-checked day by day against the `chinese-days` package
 * (1.5.7) data, and the 2015 amendment, 2019 amendment, 2020 extension and the full 2024, 2025
 * and 2026 notices against published copies of the notice texts. To add a year, enter the new
 * notice here (or, until a release, in the override table) and extend `COVERED_YEARS`.
 */
export type Festival =
  | 'new_year'
  | 'spring_festival'
  | 'qingming'
  | 'labour_day'
  | 'dragon_boat'
  | 'mid_autumn'
  | 'national_day'
  | 'mid_autumn_national_day'
  | 'victory_day_2015';

export interface HolidayPeriod {
  festival: Festival;
  off: readonly [first: string, last: string];
  work: readonly string[];
}

export interface HolidayNotice {
  year: number;
  /** Publication date, where verified against a copy of the notice. */
  published?: string;
  /** Later notices that changed this year's arrangement, already applied below. */
  amendments?: readonly string[];
  periods: readonly HolidayPeriod[];
}

export const COVERED_YEARS = { first: 2015, last: 2026 } as const;

export const CN_HOLIDAY_NOTICES: readonly HolidayNotice[] = [
  {
    year: 2015,
    amendments: [
      '国发明电〔2015〕1号 (2015-05-13): 9月3日至5日调休放假（抗战胜利70周年纪念日），9月6日（星期日）上班',
    ],
    periods: [
      { festival: 'new_year', off: ['2015-01-01', '2015-01-03'], work: ['2015-01-04'] },
      {
        festival: 'spring_festival',
        off: ['2015-02-18', '2015-02-24'],
        work: ['2015-02-15', '2015-02-28'],
      },
      { festival: 'qingming', off: ['2015-04-05', '2015-04-06'], work: [] },
      { festival: 'labour_day', off: ['2015-05-01', '2015-05-01'], work: [] },
      { festival: 'dragon_boat', off: ['2015-06-20', '2015-06-22'], work: [] },
      { festival: 'victory_day_2015', off: ['2015-09-03', '2015-09-05'], work: ['2015-09-06'] },
      { festival: 'mid_autumn', off: ['2015-09-27', '2015-09-27'], work: [] },
      { festival: 'national_day', off: ['2015-10-01', '2015-10-07'], work: ['2015-10-10'] },
    ],
  },
  {
    year: 2016,
    periods: [
      { festival: 'new_year', off: ['2016-01-01', '2016-01-01'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2016-02-07', '2016-02-13'],
        work: ['2016-02-06', '2016-02-14'],
      },
      { festival: 'qingming', off: ['2016-04-04', '2016-04-04'], work: [] },
      { festival: 'labour_day', off: ['2016-05-01', '2016-05-02'], work: [] },
      { festival: 'dragon_boat', off: ['2016-06-09', '2016-06-11'], work: ['2016-06-12'] },
      { festival: 'mid_autumn', off: ['2016-09-15', '2016-09-17'], work: ['2016-09-18'] },
      {
        festival: 'national_day',
        off: ['2016-10-01', '2016-10-07'],
        work: ['2016-10-08', '2016-10-09'],
      },
    ],
  },
  {
    year: 2017,
    published: '2016-12-01',
    periods: [
      { festival: 'new_year', off: ['2017-01-01', '2017-01-02'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2017-01-27', '2017-02-02'],
        work: ['2017-01-22', '2017-02-04'],
      },
      { festival: 'qingming', off: ['2017-04-02', '2017-04-04'], work: ['2017-04-01'] },
      { festival: 'labour_day', off: ['2017-05-01', '2017-05-01'], work: [] },
      { festival: 'dragon_boat', off: ['2017-05-28', '2017-05-30'], work: ['2017-05-27'] },
      {
        festival: 'mid_autumn_national_day',
        off: ['2017-10-01', '2017-10-08'],
        work: ['2017-09-30'],
      },
    ],
  },
  {
    year: 2018,
    periods: [
      { festival: 'new_year', off: ['2018-01-01', '2018-01-01'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2018-02-15', '2018-02-21'],
        work: ['2018-02-11', '2018-02-24'],
      },
      { festival: 'qingming', off: ['2018-04-05', '2018-04-07'], work: ['2018-04-08'] },
      { festival: 'labour_day', off: ['2018-04-29', '2018-05-01'], work: ['2018-04-28'] },
      { festival: 'dragon_boat', off: ['2018-06-18', '2018-06-18'], work: [] },
      { festival: 'mid_autumn', off: ['2018-09-24', '2018-09-24'], work: [] },
      {
        festival: 'national_day',
        off: ['2018-10-01', '2018-10-07'],
        work: ['2018-09-29', '2018-09-30'],
      },
    ],
  },
  {
    year: 2019,
    amendments: [
      '国办发明电〔2019〕3号 (2019-03-22): 劳动节改为5月1日至4日放假调休，4月28日（星期日）、5月5日（星期日）上班',
    ],
    periods: [
      { festival: 'new_year', off: ['2018-12-30', '2019-01-01'], work: ['2018-12-29'] },
      {
        festival: 'spring_festival',
        off: ['2019-02-04', '2019-02-10'],
        work: ['2019-02-02', '2019-02-03'],
      },
      { festival: 'qingming', off: ['2019-04-05', '2019-04-05'], work: [] },
      {
        festival: 'labour_day',
        off: ['2019-05-01', '2019-05-04'],
        work: ['2019-04-28', '2019-05-05'],
      },
      { festival: 'dragon_boat', off: ['2019-06-07', '2019-06-07'], work: [] },
      { festival: 'mid_autumn', off: ['2019-09-13', '2019-09-13'], work: [] },
      {
        festival: 'national_day',
        off: ['2019-10-01', '2019-10-07'],
        work: ['2019-09-29', '2019-10-12'],
      },
    ],
  },
  {
    year: 2020,
    published: '2019-11-21',
    amendments: [
      '国办发明电〔2020〕1号 (2020-01-26): 春节假期延长至2月2日，2月3日起正常上班；原定2月1日（星期六）上班随之取消',
    ],
    periods: [
      { festival: 'new_year', off: ['2020-01-01', '2020-01-01'], work: [] },
      { festival: 'spring_festival', off: ['2020-01-24', '2020-02-02'], work: ['2020-01-19'] },
      { festival: 'qingming', off: ['2020-04-04', '2020-04-06'], work: [] },
      {
        festival: 'labour_day',
        off: ['2020-05-01', '2020-05-05'],
        work: ['2020-04-26', '2020-05-09'],
      },
      { festival: 'dragon_boat', off: ['2020-06-25', '2020-06-27'], work: ['2020-06-28'] },
      {
        festival: 'mid_autumn_national_day',
        off: ['2020-10-01', '2020-10-08'],
        work: ['2020-09-27', '2020-10-10'],
      },
    ],
  },
  {
    year: 2021,
    periods: [
      { festival: 'new_year', off: ['2021-01-01', '2021-01-03'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2021-02-11', '2021-02-17'],
        work: ['2021-02-07', '2021-02-20'],
      },
      { festival: 'qingming', off: ['2021-04-03', '2021-04-05'], work: [] },
      {
        festival: 'labour_day',
        off: ['2021-05-01', '2021-05-05'],
        work: ['2021-04-25', '2021-05-08'],
      },
      { festival: 'dragon_boat', off: ['2021-06-12', '2021-06-14'], work: [] },
      { festival: 'mid_autumn', off: ['2021-09-19', '2021-09-21'], work: ['2021-09-18'] },
      {
        festival: 'national_day',
        off: ['2021-10-01', '2021-10-07'],
        work: ['2021-09-26', '2021-10-09'],
      },
    ],
  },
  {
    year: 2022,
    periods: [
      { festival: 'new_year', off: ['2022-01-01', '2022-01-03'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2022-01-31', '2022-02-06'],
        work: ['2022-01-29', '2022-01-30'],
      },
      { festival: 'qingming', off: ['2022-04-03', '2022-04-05'], work: ['2022-04-02'] },
      {
        festival: 'labour_day',
        off: ['2022-04-30', '2022-05-04'],
        work: ['2022-04-24', '2022-05-07'],
      },
      { festival: 'dragon_boat', off: ['2022-06-03', '2022-06-05'], work: [] },
      { festival: 'mid_autumn', off: ['2022-09-10', '2022-09-12'], work: [] },
      {
        festival: 'national_day',
        off: ['2022-10-01', '2022-10-07'],
        work: ['2022-10-08', '2022-10-09'],
      },
    ],
  },
  {
    year: 2023,
    periods: [
      { festival: 'new_year', off: ['2022-12-31', '2023-01-02'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2023-01-21', '2023-01-27'],
        work: ['2023-01-28', '2023-01-29'],
      },
      { festival: 'qingming', off: ['2023-04-05', '2023-04-05'], work: [] },
      {
        festival: 'labour_day',
        off: ['2023-04-29', '2023-05-03'],
        work: ['2023-04-23', '2023-05-06'],
      },
      { festival: 'dragon_boat', off: ['2023-06-22', '2023-06-24'], work: ['2023-06-25'] },
      {
        festival: 'mid_autumn_national_day',
        off: ['2023-09-29', '2023-10-06'],
        work: ['2023-10-07', '2023-10-08'],
      },
    ],
  },
  {
    year: 2024,
    published: '2023-10-25',
    periods: [
      { festival: 'new_year', off: ['2024-01-01', '2024-01-01'], work: [] },
      // 除夕 (9 February) is an ordinary working day; the notice only encourages employers to give it off.
      {
        festival: 'spring_festival',
        off: ['2024-02-10', '2024-02-17'],
        work: ['2024-02-04', '2024-02-18'],
      },
      { festival: 'qingming', off: ['2024-04-04', '2024-04-06'], work: ['2024-04-07'] },
      {
        festival: 'labour_day',
        off: ['2024-05-01', '2024-05-05'],
        work: ['2024-04-28', '2024-05-11'],
      },
      { festival: 'dragon_boat', off: ['2024-06-10', '2024-06-10'], work: [] },
      { festival: 'mid_autumn', off: ['2024-09-15', '2024-09-17'], work: ['2024-09-14'] },
      {
        festival: 'national_day',
        off: ['2024-10-01', '2024-10-07'],
        work: ['2024-09-29', '2024-10-12'],
      },
    ],
  },
  {
    // 国办发明电〔2024〕12号, the first under the November 2024 amendment of 全国年节及纪念日放假办法
    // (除夕 and 2 May became public holidays).
    year: 2025,
    published: '2024-11-12',
    periods: [
      { festival: 'new_year', off: ['2025-01-01', '2025-01-01'], work: [] },
      {
        festival: 'spring_festival',
        off: ['2025-01-28', '2025-02-04'],
        work: ['2025-01-26', '2025-02-08'],
      },
      { festival: 'qingming', off: ['2025-04-04', '2025-04-06'], work: [] },
      { festival: 'labour_day', off: ['2025-05-01', '2025-05-05'], work: ['2025-04-27'] },
      { festival: 'dragon_boat', off: ['2025-05-31', '2025-06-02'], work: [] },
      {
        festival: 'mid_autumn_national_day',
        off: ['2025-10-01', '2025-10-08'],
        work: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    published: '2025-11-04',
    periods: [
      { festival: 'new_year', off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
      {
        festival: 'spring_festival',
        off: ['2026-02-15', '2026-02-23'],
        work: ['2026-02-14', '2026-02-28'],
      },
      { festival: 'qingming', off: ['2026-04-04', '2026-04-06'], work: [] },
      { festival: 'labour_day', off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
      { festival: 'dragon_boat', off: ['2026-06-19', '2026-06-21'], work: [] },
      { festival: 'mid_autumn', off: ['2026-09-25', '2026-09-27'], work: [] },
      {
        festival: 'national_day',
        off: ['2026-10-01', '2026-10-07'],
        work: ['2026-09-20', '2026-10-10'],
      },
    ],
  },
];
