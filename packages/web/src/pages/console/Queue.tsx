/**
 * The background jobs (docs/QUEUE.md): imports and deliveries with their progress, summary or
 * error. The centre's administrators see their jurisdiction's, retry a failed one and cancel one
 * not finished (both audited); anyone sees the jobs they asked for.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Drawer, Input, Progress, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { QueueJob } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { useSession } from '../../app/session';
import { JOB_STATUS_COLOR, JobProgress, jobPercent } from '../../components/JobProgress';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export default function Queue() {
  const { t } = useTranslation();
  const { can } = useSession();
  const manage = can('queue.manage');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState<QueueJob['status'] | undefined>();
  const paging = usePaging();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['queue', 'list', kind, status, paging.page],
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/queue/jobs', {
          params: {
            query: {
              ...paging.query,
              ...(kind.trim() ? { kind: kind.trim() } : {}),
              ...(status ? { status } : {}),
            },
          },
        }),
      ),
    refetchInterval: 5000,
  });
  const act = useAct(
    ({ id, what }: { id: string; what: 'retry' | 'cancel' }, key: string) => {
      const options = { params: { path: { id } }, headers: headersFor({ idempotencyKey: key }) };
      return unwrap(
        what === 'retry'
          ? client.POST('/api/v1/queue/jobs/{id}/retry', options)
          : client.POST('/api/v1/queue/jobs/{id}/cancel', options),
      );
    },
    [['queue']],
  );
  return (
    <Page title={t('queue.title')}>
      <Card>
        {[list.error, act.error].filter(Boolean).map((e, i) => (
          <ProblemAlert key={i} error={e} />
        ))}
        <Space wrap style={{ marginBottom: 16 }}>
          <Input
            allowClear
            placeholder={t('queue.anyKind')}
            aria-label={t('queue.kind')}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              paging.first();
            }}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('queue.anyStatus')}
            aria-label={t('common.status')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              paging.first();
            }}
            style={{ width: 160 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`queue.statuses.${s}`) }))}
          />
        </Space>
        <Table<QueueJob>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={paging.table(list.data?.total)}
          columns={[
            {
              title: t('queue.kind'),
              dataIndex: 'kind',
              render: (v: string, j) => (
                <Button type="link" onClick={() => setOpen(j.id)}>
                  <code>{v}</code>
                </Button>
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (v: QueueJob['status']) => (
                <Tag color={JOB_STATUS_COLOR[v]}>{t(`queue.statuses.${v}`)}</Tag>
              ),
            },
            {
              title: t('queue.progress'),
              render: (_, j) => (
                <Progress
                  size="small"
                  style={{ width: 160 }}
                  percent={jobPercent(j) ?? 0}
                  status={j.status === 'failed' ? 'exception' : undefined}
                  aria-label={t('queue.progress')}
                />
              ),
            },
            { title: t('queue.attempts'), render: (_, j) => `${j.attempts}/${j.maxAttempts}` },
            { title: t('queue.createdBy'), dataIndex: 'createdBy' },
            {
              title: t('queue.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v, true),
            },
            {
              title: t('queue.finishedAt'),
              dataIndex: 'finishedAt',
              render: (v: string | null) => (v ? formatDateTime(v, true) : '—'),
            },
            ...(manage
              ? [
                  {
                    title: '',
                    render: (_: unknown, j: QueueJob) => (
                      <Space>
                        {(j.status === 'failed' || j.status === 'cancelled') && (
                          <Button
                            size="small"
                            loading={act.isPending}
                            onClick={() => act.mutate({ id: j.id, what: 'retry' })}
                          >
                            {t('queue.retry')}
                          </Button>
                        )}
                        {(j.status === 'queued' || j.status === 'running') && (
                          <Button
                            size="small"
                            danger
                            loading={act.isPending}
                            onClick={() => act.mutate({ id: j.id, what: 'cancel' })}
                          >
                            {t('queue.cancel')}
                          </Button>
                        )}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={t('queue.progress')}
        width={520}
        destroyOnClose
      >
        {open && <JobProgress jobId={open} />}
      </Drawer>
    </Page>
  );
}
