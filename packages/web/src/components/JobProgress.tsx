/**
 * Follows one background job (docs/QUEUE.md) by polling GET /api/v1/queue/jobs/{id}: a progress
 * bar while it runs, then its summary or its error. Upload pages show it with the job id the
 * upload answered; `onDone` is told once, when the job has finished (succeeded, failed or
 * cancelled), with the job as it ended.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { client, unwrap } from '../api/client';
import type { QueueJob } from '../api/types';
import { ProblemAlert } from './ProblemAlert';

export type { QueueJob };

const FINISHED = new Set<QueueJob['status']>(['succeeded', 'failed', 'cancelled']);
export const JOB_STATUS_COLOR: Record<QueueJob['status'], string> = {
  queued: 'default',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'orange',
};

/** Percent done, or undefined while the total is unknown. */
export function jobPercent(job: Pick<QueueJob, 'status' | 'progress'>): number | undefined {
  if (job.status === 'succeeded') return 100;
  const { done, total } = job.progress;
  if (total === null || total <= 0) return undefined;
  return Math.min(100, Math.floor((done / total) * 100));
}

export function JobProgress({
  jobId,
  onDone,
  intervalMs = 1000,
}: {
  jobId: string;
  onDone?: (job: QueueJob) => void;
  /** How often to ask while the job is not finished. */
  intervalMs?: number;
}) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['queue', 'job', jobId],
    queryFn: () =>
      unwrap(client.GET('/api/v1/queue/jobs/{id}', { params: { path: { id: jobId } } })),
    refetchInterval: (query) => {
      const job = query.state.data;
      return job && FINISHED.has(job.status) ? false : intervalMs;
    },
  });
  const told = useRef<string | null>(null);
  const job = q.data;
  useEffect(() => {
    if (job && FINISHED.has(job.status) && told.current !== job.id) {
      told.current = job.id;
      onDone?.(job);
    }
  }, [job, onDone]);

  if (q.error) return <ProblemAlert error={q.error} />;
  if (!job) return <Progress percent={0} status="active" aria-label={t('queue.progress')} />;
  const percent = jobPercent(job);
  const status =
    job.status === 'failed' || job.status === 'cancelled'
      ? 'exception'
      : job.status === 'succeeded'
        ? 'success'
        : 'active';
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="job-progress">
      <Space wrap>
        <Tag color={JOB_STATUS_COLOR[job.status]} data-testid="job-status">
          {t(`queue.statuses.${job.status}`)}
        </Tag>
        <Typography.Text type="secondary">
          {job.progress.total !== null
            ? t('queue.doneOf', { done: job.progress.done, total: job.progress.total })
            : t('queue.done', { done: job.progress.done })}
        </Typography.Text>
        {job.progress.message && <Typography.Text>{job.progress.message}</Typography.Text>}
      </Space>
      <Progress
        percent={percent ?? (job.status === 'running' ? 50 : 0)}
        status={status}
        showInfo={percent !== undefined}
        aria-label={t('queue.progress')}
      />
      {job.status === 'succeeded' && job.result && (
        <Descriptions size="small" column={1} bordered data-testid="job-result">
          {Object.entries(job.result).map(([k, v]) => (
            <Descriptions.Item key={k} label={k}>
              {typeof v === 'object' ? JSON.stringify(v) : String(v)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {job.error && (job.status === 'failed' || job.status === 'queued') && (
        <Alert
          type={job.status === 'failed' ? 'error' : 'warning'}
          showIcon
          data-testid="job-error"
          message={
            job.status === 'failed'
              ? t('queue.failed', { attempts: job.attempts })
              : t('queue.retrying', { attempts: job.attempts, max: job.maxAttempts })
          }
          description={job.error}
        />
      )}
    </Space>
  );
}
