/** What a daily job and its runs look like in an answer. */
import { Type } from '@sinclair/typebox';
import { formatShanghai } from '@sscard/domain';
import { StringEnum } from '../http/schemas.js';
import type { JobRun } from './job-runs.repository.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const JobRunView = Type.Object({
  id: Type.String(),
  job: Type.String(),
  day: Type.String({ description: 'Shanghai calendar day of the run' }),
  trigger: StringEnum(['schedule', 'manual'] as const),
  requestedBy: Type.String(),
  status: StringEnum(['running', 'succeeded', 'failed'] as const),
  attempts: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  result: Type.Unknown(),
  error: Nullable(Type.String()),
});

export const JobView = Type.Object({
  name: Type.String({ examples: ['audit.verify'] }),
  description: Type.String(),
  at: Type.String({ description: 'Shanghai time from which the daily run is due' }),
  scheduled: Type.Boolean({ description: 'Run daily by the scheduler (else on demand only)' }),
  lastRuns: Type.Array(JobRunView),
});

export function presentJobRun(r: JobRun) {
  return {
    id: r.id,
    job: r.job,
    day: r.day,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    status: r.status,
    attempts: r.attempts,
    startedAt: formatShanghai(r.started_at),
    finishedAt: r.finished_at ? formatShanghai(r.finished_at) : null,
    result: r.result,
    error: r.error,
  };
}
