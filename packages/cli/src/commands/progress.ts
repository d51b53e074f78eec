/**
 * Follows a queued job (issue 14, item 9) until it ends: a progress bar on a terminal, a plain
 * line per change otherwise (logs, CI), then a summary. Exits non-zero when the job failed or
 * when its result counts refused rows (`refused` or `failed` > 0), so a script can stop there.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { call, fail, type ApiOptions } from './api.js';

/** The queue's job as the API answers it (jobs/queue.ts: QueueJob). */
export interface JobAnswer {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number | null; message: string | null };
  result: Record<string, unknown> | null;
  error: string | null;
}

/** Where a job is read; the queue's route (H1: GET /api/v1/queue/jobs/:id). */
export const jobPath = (id: string) => `/queue/jobs/${encodeURIComponent(id)}`;

export interface FollowOptions {
  /** Milliseconds between polls (default 500). */
  every?: number;
  /** Where the bar is drawn (default process.stderr, so stdout stays the summary). */
  stream?: NodeJS.WriteStream;
  /** Gives up after this many milliseconds (default: never). */
  timeout?: number;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

export function bar(done: number, total: number | null, width = 30): string {
  if (!total) return `${done}`;
  const f = Math.max(0, Math.min(1, done / total));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${Math.floor(f * 100)}%`;
}

/** Polls the job until it ends; returns it. */
export async function followJob(
  api: ApiOptions,
  jobId: string,
  opts: FollowOptions = {},
): Promise<JobAnswer> {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const started = Date.now();
  let last = '';
  for (;;) {
    const job = (await call(api, 'GET', jobPath(jobId))) as JobAnswer;
    const line = `${job.kind} ${job.status} ${bar(job.progress.done, job.progress.total)}${
      job.progress.message ? ` ${job.progress.message}` : ''
    }`;
    if (line !== last) {
      if (tty) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
      last = line;
    }
    if (FINISHED.has(job.status)) {
      if (tty) stream.write('\n');
      return job;
    }
    if (opts.timeout && Date.now() - started > opts.timeout)
      throw fail('job.timeout', `job ${jobId} still ${job.status} after ${opts.timeout} ms`);
    await sleep(opts.every ?? 500);
  }
}

/** Prints the summary (stdout) and throws (exit 1) on a failed job or refused rows. */
export function summarise(job: JobAnswer): void {
  const result = job.result ?? {};
  console.log(JSON.stringify({ job: job.id, status: job.status, ...result }, null, 2));
  if (job.status !== 'succeeded')
    throw fail('job.failed', `job ${job.id} ${job.status}${job.error ? `: ${job.error}` : ''}`);
  const refused = Number(result.refused ?? 0) + Number(result.failed ?? 0);
  if (refused > 0) throw fail('job.refused_rows', `${refused} row(s) refused: see the report`);
}
