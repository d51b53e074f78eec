/** What a queued job looks like in an answer: its progress, summary or error; never personal data. */
import { Type } from '@sinclair/typebox';
import { formatShanghai } from '@sscard/domain';
import { StringEnum } from '../../http/schemas.js';
import type { QueueJob } from '../../jobs/queue.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const QUEUE_JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;

export const QueueJobView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ examples: ['roster.import'] }),
    status: StringEnum(QUEUE_JOB_STATUSES),
    jurisdiction: Nullable(Type.String()),
    progress: Type.Object({
      done: Type.Integer(),
      total: Type.Union([Type.Integer(), Type.Null()]),
      message: Nullable(Type.String()),
    }),
    result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'The handler’s summary (counts, ids)',
    }),
    error: Nullable(Type.String()),
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    createdBy: Type.String(),
    createdAt: Type.String(),
    startedAt: Nullable(Type.String()),
    finishedAt: Nullable(Type.String()),
  },
  { $id: 'QueueJob' },
);

export function presentQueueJob(j: QueueJob) {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    jurisdiction: j.jurisdiction,
    progress: j.progress,
    result: j.result,
    error: j.error,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    createdBy: j.createdBy,
    createdAt: formatShanghai(j.createdAt),
    startedAt: j.startedAt ? formatShanghai(j.startedAt) : null,
    finishedAt: j.finishedAt ? formatShanghai(j.finishedAt) : null,
  };
}
