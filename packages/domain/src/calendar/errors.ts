import { defineErrors } from '../errors/entry.js';

/** Error codes of the calendar module. Warnings (fallback years) are not errors: see warnings.ts. */
export const calendarErrors = defineErrors({
  CALENDAR_DATE_INVALID: {
    kind: 'invalid',
    title: { zh: '日期无效', en: 'Invalid date' },
    detail: {
      zh: '“{value}”不是 YYYY-MM-DD 格式的真实日期。',
      en: '"{value}" is not a real date written YYYY-MM-DD.',
    },
  },
  CALENDAR_AMOUNT_INVALID: {
    kind: 'invalid',
    title: { zh: '期限数值无效', en: 'Invalid time limit' },
    detail: {
      zh: '以{unitZh}计的期限须为0至{max}之间的整数。',
      en: 'A time limit in {unitEn} must be a whole number from 0 to {max}.',
    },
  },
  CALENDAR_OVERRIDE_INVALID: {
    kind: 'invalid',
    title: { zh: '节假日调整条目无效', en: 'Invalid calendar override' },
    detail: {
      zh: '第{index}条调整：{field}无效（日期须为 YYYY-MM-DD，类型须为 holiday 或 workday，须填写说明）。',
      en: 'Override {index}: invalid {field} (the date must be YYYY-MM-DD, the kind holiday or workday, and a note is required).',
    },
  },
  CALENDAR_OVERRIDE_DUPLICATE: {
    kind: 'conflict',
    title: { zh: '节假日调整日期重复', en: 'Duplicate calendar override' },
    detail: {
      zh: '{date} 有不止一条调整，每天只能有一条。',
      en: '{date} has more than one override; each day may have one.',
    },
  },
  CALENDAR_YEAR_INVALID: {
    kind: 'invalid',
    title: { zh: '年份无效', en: 'Invalid year' },
    detail: {
      zh: '“{value}”不是1900至9999之间的年份。',
      en: '"{value}" is not a year from 1900 to 9999.',
    },
  },
});
