import { defineErrors } from '../errors/entry.js';

/** Error codes of the person registry. */
export const personsErrors = defineErrors({
  PERSON_NAME_INVALID: {
    kind: 'invalid',
    title: { zh: '姓名不符合要求', en: 'Invalid name' },
    detail: {
      zh: '中国公民姓名应使用规范汉字（少数民族姓名可用“·”分隔）；外国人可用证件上的英文姓名。{hint}',
      en: 'Chinese citizens’ names use standard Chinese characters (parts of minority names separated by “·”); foreigners may use the Latin name on their document. {hint}',
    },
  },
  PERSON_NAME_DOT: {
    kind: 'invalid',
    title: { zh: '姓名分隔点不规范', en: 'Wrong separator dot in name' },
    detail: {
      zh: '姓名中的分隔点应为“·”（U+00B7），而不是“{found}”。',
      en: 'Name parts are separated by “·” (U+00B7), not “{found}”.',
    },
  },
  PHONE_INVALID: {
    kind: 'invalid',
    title: { zh: '电话号码格式不正确', en: 'Invalid phone number' },
    detail: {
      zh: '手机号应为 11 位（1 开头），固定电话应为区号加号码，如 0571-88886666。',
      en: 'Mobile numbers have 11 digits starting with 1; landlines are an area code and a number, such as 0571-88886666.',
    },
  },
  POSTCODE_INVALID: {
    kind: 'invalid',
    title: { zh: '邮政编码格式不正确', en: 'Invalid postcode' },
    detail: { zh: '邮政编码应为 6 位数字。', en: 'Postcodes have six digits.' },
  },
  ETHNICITY_UNKNOWN: {
    kind: 'invalid',
    title: { zh: '民族代码无效', en: 'Unknown ethnicity code' },
    detail: {
      zh: '“{value}”不是 GB/T 3304 民族代码。',
      en: '"{value}" is not a GB/T 3304 ethnicity code.',
    },
  },
  NATIONALITY_UNKNOWN: {
    kind: 'invalid',
    title: { zh: '国家/地区代码无效', en: 'Unknown nationality code' },
    detail: {
      zh: '“{value}”不是 ISO 3166-1 三位字母代码。',
      en: '"{value}" is not an ISO 3166-1 alpha-3 code.',
    },
  },
  NATIONALITY_MISMATCH: {
    kind: 'invalid',
    title: { zh: '国籍与证件不一致', en: 'Nationality does not match the document' },
    detail: {
      zh: '该证件持有人的国家/地区应为 {expected}。',
      en: 'Holders of this document have nationality or region {expected}.',
    },
  },
  NATIONALITY_REQUIRED: {
    kind: 'invalid',
    title: { zh: '需要填写国家/地区', en: 'Nationality required' },
    detail: {
      zh: '该证件不含国籍信息，请按证件填写国家/地区代码。',
      en: 'This document does not carry a nationality; enter the ISO 3166-1 alpha-3 code from the document.',
    },
  },
  REASON_REQUIRED: {
    kind: 'invalid',
    title: { zh: '需要说明事由', en: 'A reason is required' },
    detail: {
      zh: '查看完整个人信息须说明事由（reason），该查看会记入审计日志。',
      en: 'Reading the full personal record needs a stated reason; the read is written to the audit log.',
    },
  },
  PERSON_BIRTH_DATE_MISMATCH: {
    kind: 'invalid',
    title: { zh: '出生日期与证件号码不一致', en: 'Birth date does not match the ID number' },
  },
  PERSON_SEX_MISMATCH: {
    kind: 'invalid',
    title: { zh: '性别与证件号码不一致', en: 'Sex does not match the ID number' },
  },
  PERSON_BIRTH_DATE_REQUIRED: {
    kind: 'invalid',
    title: { zh: '需要填写出生日期和性别', en: 'Birth date and sex are required' },
    detail: {
      zh: '该证件号码不含出生日期或性别，请按证件填写。',
      en: 'This document number does not carry the birth date or sex; enter them from the document.',
    },
  },
  PERSON_EXISTS: {
    kind: 'conflict',
    title: { zh: '人员已登记', en: 'Person already registered' },
    detail: {
      zh: '该{key}已登记（社会保障号码全平台唯一）。',
      en: 'A person with this {key} is already registered (social security numbers are unique installation-wide).',
    },
  },
  PERSON_CHANGED: {
    kind: 'conflict',
    title: { zh: '人员信息已被他人修改', en: 'Person changed meanwhile' },
    detail: {
      zh: '记录版本已变为 {current}，请刷新后重试。',
      en: 'The record is now at version {current}; reload and try again.',
    },
  },
  PERSON_DECEASED: {
    kind: 'conflict',
    title: { zh: '人员已登记死亡', en: 'Person recorded as deceased' },
  },
  GUARDIAN_INVALID: {
    kind: 'invalid',
    title: { zh: '监护人信息不完整', en: 'Guardian details incomplete' },
    detail: {
      zh: '监护人需要姓名、证件类型、证件号码和与申领人的关系。',
      en: 'A guardian needs a name, document type, document number and relationship.',
    },
  },
  PHOTO_TYPE: {
    kind: 'unsupported',
    title: { zh: '相片格式不支持', en: 'Unsupported photo format' },
    detail: {
      zh: '相片须为 JPEG 或 PNG（按文件内容判断，而非扩展名）。',
      en: 'Photos must be JPEG or PNG, judged by their content, not their name.',
    },
  },
  PHOTO_SIZE: {
    kind: 'too_large',
    title: { zh: '相片文件过大', en: 'Photo too large' },
    detail: { zh: '相片不得超过 {max} 字节。', en: 'Photos may not exceed {max} bytes.' },
  },
  PHOTO_DIMENSIONS: {
    kind: 'invalid',
    title: { zh: '相片尺寸不符合要求', en: 'Photo dimensions out of range' },
    detail: {
      zh: '相片应在 {minWidth}×{minHeight} 到 {maxWidth}×{maxHeight} 像素之间，实际为 {width}×{height}。',
      en: 'Photos must be between {minWidth}×{minHeight} and {maxWidth}×{maxHeight} pixels; this one is {width}×{height}.',
    },
  },
  PHOTO_CORRUPT: {
    kind: 'invalid',
    title: { zh: '相片文件已损坏', en: 'Photo file is corrupt' },
    detail: {
      zh: '相片无法解码为完整的 JPEG 或 PNG 图像：文件不完整、数据已损坏，或只有图像文件头。请重新拍摄或导出后上传。',
      en: 'The photo does not decode as a complete JPEG or PNG image: it is cut short, its data is damaged, or it is only an image header. Take or export it again and upload it.',
    },
  },
});
