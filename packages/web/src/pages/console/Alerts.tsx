/** Alerts (a broken audit chain, a failed daily job): list, acknowledge with a reason. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaging } from '../../app/paging';
import { client, headersFor, unwrap } from '../../api/client';
import type { Alert as AlertRow } from '../../api/types';
import { formatDateTime } from '../../app/format';
import { useAct } from '../../app/hooks';
import { Page } from '../../components/Page';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ReasonModal } from '../../components/ReasonModal';

export default function Alerts() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'acknowledged' | 'all'>('open');
  const [acking, setAcking] = useState<AlertRow | null>(null);
  const paging = usePaging();
  const q = useQuery({
    queryKey: ['alerts', status, paging.page],
    queryFn: () =>
      unwrap(client.GET('/api/v1/alerts', { params: { query: { status, ...paging.query } } })),
  });
  const ack = useAct(
    ({ id, reason }: { id: string; reason: string }, key: string) =>
      unwrap(
        client.POST('/api/v1/alerts/{id}/acknowledge', {
          params: { path: { id } },
          headers: headersFor({ reason, idempotencyKey: key }),
        }),
      ),
    [['alerts']],
  );
  return (
    <Page title={t('alerts.title')}>
      <Card>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as typeof status);
            paging.first();
          }}
          options={(['open', 'acknowledged', 'all'] as const).map((s) => ({
            value: s,
            label: t(`alerts.statusFilter.${s}`),
          }))}
          style={{ marginBottom: 12 }}
        />
        {q.error && <ProblemAlert error={q.error} />}
        <Table<AlertRow>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items}
          pagination={paging.table(q.data?.total)}
          expandable={{
            expandedRowRender: (r) => (
              <pre className="audit-details">{JSON.stringify(r.details, null, 2)}</pre>
            ),
          }}
          columns={[
            {
              title: t('alerts.severity'),
              dataIndex: 'severity',
              render: (v: string) => (
                <Tag color={v === 'critical' ? 'red' : v === 'warning' ? 'orange' : 'blue'}>
                  {t(`alerts.severities.${v}`)}
                </Tag>
              ),
            },
            { title: t('alerts.kind'), dataIndex: 'kind', render: (v: string) => <code>{v}</code> },
            {
              title: t('alerts.raisedAt'),
              dataIndex: 'raisedAt',
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('alerts.lastSeen'),
              dataIndex: 'lastSeenAt',
              render: (v: string) => formatDateTime(v),
            },
            { title: t('alerts.occurrences'), dataIndex: 'occurrences' },
            {
              title: t('alerts.acknowledgedBy'),
              render: (_, a) =>
                a.acknowledgedAt
                  ? `${a.acknowledgedBy ?? ''} ${formatDateTime(a.acknowledgedAt)}`
                  : '—',
            },
            {
              title: t('common.actions'),
              render: (_, a) =>
                !a.acknowledgedAt && (
                  <Button size="small" onClick={() => setAcking(a)}>
                    {t('alerts.acknowledge')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <ReasonModal
        open={acking !== null}
        title={t('alerts.acknowledge')}
        pending={ack.isPending}
        error={ack.error}
        onCancel={() => {
          setAcking(null);
          ack.reset();
        }}
        onSubmit={(reason) =>
          acking && ack.mutate({ id: acking.id, reason }, { onSuccess: () => setAcking(null) })
        }
      />
    </Page>
  );
}
