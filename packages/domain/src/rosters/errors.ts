import { defineErrors } from '../errors/entry.js';

/**
 * Error codes of unit batch applications from rosters (issue 14 item 1; FZ-18, HN-9, SH-9).
 * Whole-file refusals answer the upload; row reasons go in the roster's per-row report.
 */
export const rosterErrors = defineErrors({
  ROSTER_FILE_UNREADABLE: {
    kind: 'invalid',
    title: { zh: '花名册文件无法读取', en: 'The roster file cannot be read' },
    detail: { zh: '花名册文件无法读取：{why}', en: 'The roster file cannot be read: {why}' },
  },
  ROSTER_COLUMNS_MISSING: {
    kind: 'invalid',
    title: { zh: '花名册缺少必需的列', en: 'The roster lacks required columns' },
    detail: {
      zh: '第一行须有列：{columns}（可下载模板）。',
      en: 'The first row must name the columns: {columns} (download the template).',
    },
  },
  ROSTER_FIELD_MISSING: {
    kind: 'invalid',
    title: { zh: '必填项为空', en: 'A required field is empty' },
    detail: { zh: '“{field}”为空。', en: '“{fieldEn}” is empty.' },
  },
  ROSTER_ID_NUMERIC_CELL: {
    kind: 'invalid',
    title: { zh: '身份证号被存为数字', en: 'ID number stored as a number' },
    detail: {
      zh: '身份证号单元格是数字格式，Excel 只保留 15 位有效数字，号码已被改变。请将该列设为“文本”后重新输入（可使用模板）。',
      en: 'The ID number cell is a number: Excel keeps 15 significant digits, so the number is already changed. Format the column as Text and type it again (use the template).',
    },
  },
  ROSTER_PHONE_INVALID: {
    kind: 'invalid',
    title: { zh: '手机号码不正确', en: 'Invalid mobile number' },
    detail: {
      zh: '手机号码应为 11 位数字，以 1 开头。',
      en: 'A mobile number has 11 digits and starts with 1.',
    },
  },
  ROSTER_DUPLICATE_ROW: {
    kind: 'conflict',
    title: { zh: '文件内重复', en: 'Duplicate in the file' },
    detail: {
      zh: '该证件号码已在第 {firstRow} 行出现。',
      en: 'This ID number already appears on row {firstRow}.',
    },
  },
  ROSTER_NAME_MISMATCH: {
    kind: 'conflict',
    title: { zh: '姓名与登记信息不符', en: 'Name differs from the register' },
    detail: {
      zh: '该证件号码已登记的姓名与花名册不一致，请核对。',
      en: 'The name registered for this ID number differs from the roster’s: check it.',
    },
  },
  ROSTER_BRANCH_INVALID: {
    kind: 'invalid',
    title: { zh: '银行网点不正确', en: 'Invalid bank branch' },
    detail: {
      zh: '所选网点不属于所选银行或不在本统筹区。',
      en: 'The branch chosen is not the chosen bank’s or not in this jurisdiction.',
    },
  },
});
