/**
 * The columns of a roster (FZ annex 2: 姓名, 公民身份号码, 手机号码) found in its header row, with
 * the common Chinese variants units actually type. A header cell is compared without spaces,
 * asterisks, a "(必填)" style note in brackets, and case.
 */
export type RosterField = 'name' | 'idNumber' | 'phone';

export const FIELD_LABELS: Record<RosterField, { zh: string; en: string }> = {
  name: { zh: '姓名', en: 'Name' },
  idNumber: { zh: '公民身份号码', en: 'ID number' },
  phone: { zh: '手机号码', en: 'Mobile phone' },
};

const VARIANTS: Record<RosterField, string[]> = {
  name: ['姓名', '名字', '人员姓名', '职工姓名', '学生姓名', 'name'],
  idNumber: [
    '公民身份号码',
    '身份证号',
    '身份证号码',
    '身份证',
    '证件号码',
    '证件号',
    '居民身份证号码',
    '社会保障号码',
    'idnumber',
    'id',
    'id_number',
    'idno',
  ],
  phone: [
    '手机号码',
    '手机号',
    '手机',
    '联系电话',
    '电话',
    '电话号码',
    '联系方式',
    '移动电话',
    'mobile',
    'phone',
    'mobilephone',
  ],
};

export function normaliseHeader(cell: string): string {
  return cell
    .replace(/[(（【[].*?[)）】\]]/g, '')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();
}

const LOOKUP = new Map<string, RosterField>();
for (const [field, names] of Object.entries(VARIANTS) as [RosterField, string[]][])
  for (const n of names) LOOKUP.set(normaliseHeader(n), field);

export type RosterColumns = Record<RosterField, number>;

/** The header's columns, or the fields it lacks. */
export function findColumns(
  header: string[],
): { columns: RosterColumns; missing: [] } | { columns: null; missing: RosterField[] } {
  const found: Partial<RosterColumns> = {};
  header.forEach((cell, i) => {
    const field = LOOKUP.get(normaliseHeader(cell));
    if (field && found[field] === undefined) found[field] = i;
  });
  const missing = (['name', 'idNumber', 'phone'] as const).filter((f) => found[f] === undefined);
  return missing.length
    ? { columns: null, missing: [...missing] }
    : { columns: found as RosterColumns, missing: [] };
}
