import { defineErrors } from '../errors/entry.js';

/**
 * Error codes of bank account opening by file and vendor production batches (issue 14 items 2
 * and 3; FZ-18, FZ-20, FZ-22).
 */
export const productionErrors = defineErrors({
  RETURN_FILE_INVALID: {
    kind: 'invalid',
    title: { zh: '回盘文件格式不正确', en: 'Malformed return file' },
    detail: {
      zh: '回盘文件无法读取：{why}',
      en: 'The return file cannot be read: {whyEn}',
    },
  },
  RETURN_FILE_CHECKSUM: {
    kind: 'invalid',
    title: { zh: '回盘文件校验和不符', en: 'Return file checksum mismatch' },
    detail: {
      zh: '文件尾的 SHA-256 校验和与文件内容不符，文件可能不完整或被改动，请向对方索取原文件。',
      en: 'The SHA-256 checksum in the trailer does not match the file: it is incomplete or was changed. Ask the sender for the original.',
    },
  },
  RETURN_FILE_WRONG_BATCH: {
    kind: 'conflict',
    title: { zh: '回盘文件不属于该批次', en: 'Return file for another batch' },
    detail: {
      zh: '该回盘文件属于批次 {fileBatch}，不能导入批次 {batch}。',
      en: 'This return file belongs to batch {fileBatch}, not to batch {batch}.',
    },
  },
  RETURN_FILE_DUPLICATE: {
    kind: 'conflict',
    title: { zh: '回盘文件已导入', en: 'Return file already imported' },
    detail: {
      zh: '该批次的回盘文件已经导入（{when}），同一批次只导入一次。',
      en: 'The return file of this batch was already imported ({when}); a batch is imported once.',
    },
  },
  RETURN_FILE_ROWS: {
    kind: 'invalid',
    title: { zh: '回盘文件与批次不符', en: 'Return file does not match the batch' },
    detail: {
      zh: '回盘文件的记录与批次不符：{why}',
      en: 'The return file’s rows do not match the batch: {whyEn}',
    },
  },
  BATCH_NOT_EXPORTED: {
    kind: 'conflict',
    title: { zh: '批次文件尚未导出', en: 'Batch file not yet exported' },
    detail: {
      zh: '该批次的文件尚未导出，不能导入回盘文件。',
      en: 'This batch’s file has not been exported yet, so no return file can be imported.',
    },
  },
  BATCH_EMPTY: {
    kind: 'conflict',
    title: { zh: '没有可组批的申领', en: 'Nothing to batch' },
    detail: {
      zh: '没有符合条件的申领可以组成批次（{why}）。',
      en: 'No application qualifies for a batch ({whyEn}).',
    },
  },
  NOT_A_VENDOR: {
    kind: 'invalid',
    title: { zh: '不是合作卡商', en: 'Not a card vendor' },
    detail: {
      zh: '所选机构不是本辖区的合作卡商。',
      en: 'The chosen organisation is not a card vendor of the jurisdiction.',
    },
  },
  NOT_A_FILE_BANK: {
    kind: 'invalid',
    title: { zh: '该银行不以文件方式开户', en: 'This bank does not open accounts by file' },
    detail: {
      zh: '所选机构不是以批量文件方式开户的合作银行。',
      en: 'The chosen organisation is not a cooperating bank that opens accounts by file.',
    },
  },
});
