import { defineErrors } from '../errors/entry.js';

/** Error codes of access by relationship (access/policy.ts). */
export const accessErrors = defineErrors({
  NOT_RESPONSIBLE: {
    kind: 'forbidden',
    title: { zh: '不属于本机构办理的业务', en: 'Not your organisation’s business' },
    detail: {
      zh: '本机构不能办理该业务（{act}）：应由{who}办理。',
      en: 'Your organisation cannot do this ({act}): {whoEn} can.',
    },
  },
});
