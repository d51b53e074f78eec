import { defineErrors } from '../errors/entry.js';

/** Error codes of the background queue (issue 14, item 9; docs/QUEUE.md). */
export const queueErrors = defineErrors({
  QUEUE_JOB_NOT_RETRIABLE: {
    kind: 'conflict',
    title: { zh: '任务不能重试', en: 'The job cannot be retried' },
    detail: {
      zh: '只有失败或已取消的任务可以重试，该任务当前状态为 {status}。',
      en: 'Only a failed or cancelled job can be retried; this one is {status}.',
    },
  },
  QUEUE_JOB_FINISHED: {
    kind: 'conflict',
    title: { zh: '任务已结束', en: 'The job has finished' },
    detail: {
      zh: '该任务已结束（{status}），不能取消。',
      en: 'The job has finished ({status}) and cannot be cancelled.',
    },
  },
});
