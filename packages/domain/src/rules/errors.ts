import { defineErrors } from '../errors/entry.js';

/** Error codes of the rules module: reading, validating and resolving rule packs. */
export const rulesErrors = defineErrors({
  RULE_PACK_SYNTAX: {
    kind: 'invalid',
    title: { zh: '规则包不是有效的 YAML', en: 'The rule pack is not valid YAML' },
    detail: {
      zh: '{file} 第 {line} 行第 {column} 列：{reason}',
      en: '{file}, line {line}, column {column}: {reason}',
    },
  },
  RULE_PACK_INVALID: {
    kind: 'invalid',
    title: { zh: '规则包内容不符合格式', en: 'The rule pack is invalid' },
    detail: {
      zh: '{file}：{path}：{reason}（共 {count} 处问题：{issues}）',
      en: '{file}: {path}: {reason} ({count} problem(s): {issues})',
    },
  },
  RULE_PACK_DUPLICATE: {
    kind: 'conflict',
    title: { zh: '规则包版本重复', en: 'Duplicate rule pack version' },
    detail: {
      zh: '{jurisdiction} 已有版本 {version}，或已有自 {effectiveFrom} 起施行的版本。',
      en: '{jurisdiction} already has version {version}, or a version in force from {effectiveFrom}.',
    },
  },
  RULE_PACK_CONFLICT: {
    kind: 'conflict',
    title: { zh: '规则包代码冲突', en: 'Conflicting rule pack codes' },
    detail: {
      zh: '{code} 与行政区划代码 {divisionCode} 的对应关系与已载入的版本（{existing}）不一致。',
      en: '{code} and division code {divisionCode} do not match the versions already loaded ({existing}).',
    },
  },
  RULE_PACK_NOT_IN_FORCE: {
    kind: 'refused',
    title: { zh: '该日期尚无施行的规则', en: 'No rules in force on that date' },
    detail: {
      zh: '{jurisdiction} 的办法自 {effectiveFrom} 起施行，{date} 时尚未施行。',
      en: 'The {jurisdiction} regulation is in force from {effectiveFrom}; it was not yet in force on {date}.',
    },
  },
});
