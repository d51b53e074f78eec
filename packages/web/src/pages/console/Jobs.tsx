/** The daily jobs with their last runs; run one now (audited). */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { client, headersFor, unwrap } from '../../api/client';
import type { Job, JobRun } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';

export default function Jobs() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(client.GET('/api/v1/jobs')) });
  const run = useAct(
    (name: string, key: string) =>
      unwrap(
        client.POST('/api/v1/jobs/{name}/run', {
          params: { path: { name } },
          headers: headersFor({ idempotencyKey: key }),
        }),
      ),
    [['jobs']],
  );
  const status = (r: JobRun) => (
    <Tag color={r.status === 'succeeded' ? 'green' : r.status === 'failed' ? 'red' : 'blue'}>
      {t(`jobs.statuses.${r.status}`)}
    </Tag>
  );
  return (
    <Page title={t('jobs.title')}>
      <Card>
        {[q.error, run.error].filter(Boolean).map((e, i) => (
          <ProblemAlert key={i} error={e} />
        ))}
        <Table<Job>
          rowKey="name"
          loading={q.isLoading}
          dataSource={q.data}
          pagination={false}
          expandable={{
            expandedRowRender: (j) => (
              <Table<JobRun>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={j.lastRuns}
                columns={[
                  {
                    title: t('jobs.startedAt'),
                    dataIndex: 'startedAt',
                    render: (v: string) => formatDateTime(v, true),
                  },
                  {
                    title: t('jobs.trigger'),
                    dataIndex: 'trigger',
                    render: (v: string) => t(`jobs.triggers.${v}`),
                  },
                  { title: t('common.status'), render: (_, r) => status(r) },
                  {
                    title: t('jobs.result'),
                    render: (_, r) => (
                      <code className="job-result">{r.error ?? JSON.stringify(r.result)}</code>
                    ),
                  },
                ]}
              />
            ),
          }}
          columns={[
            { title: t('jobs.name'), dataIndex: 'name', render: (v: string) => <code>{v}</code> },
            { title: t('common.details'), dataIndex: 'description' },
            { title: t('jobs.at'), dataIndex: 'at' },
            {
              title: t('jobs.scheduled'),
              dataIndex: 'scheduled',
              render: (v: boolean) => (v ? t('jobs.scheduled') : t('jobs.onDemand')),
            },
            {
              title: t('jobs.lastRuns'),
              render: (_, j) =>
                j.lastRuns[0] ? (
                  <span>
                    {status(j.lastRuns[0])} {formatDateTime(j.lastRuns[0].startedAt)}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              title: t('common.actions'),
              render: (_, j) => (
                <Button
                  size="small"
                  loading={run.isPending && run.variables === j.name}
                  onClick={() =>
                    run.mutate(j.name, {
                      onSuccess: (r) =>
                        run.message.info(
                          t('jobs.ran', { name: j.name, status: t(`jobs.statuses.${r.status}`) }),
                        ),
                    })
                  }
                >
                  {t('common.run')}
                </Button>
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          sscard jobs list · sscard jobs run &lt;name&gt;
        </Typography.Paragraph>
      </Card>
    </Page>
  );
}
